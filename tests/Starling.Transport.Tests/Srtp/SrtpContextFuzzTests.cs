using Starling.Transport.Srtp;

namespace Starling.Transport.Tests.Srtp;

public sealed class SrtpContextFuzzTests
{
    [Theory]
    [InlineData(0x0001, 20260101)]
    [InlineData(0x0007, 20260102)]
    public void Unprotect_RandomInput_NeverThrowsOrAccepts(int profileCode, int seed)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var random = new Random(seed);
        using var receiver = SrtpContext.Create(profile, new byte[profile.KeyLength()], new byte[profile.SaltLength()]);
        var buffer = new byte[1600];

        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, 200);
            random.NextBytes(buffer.AsSpan(0, length));
            if (random.Next(2) == 0 && length > 0)
            {
                buffer[0] = (byte)((buffer[0] & 0x3F) | 0x80);
            }

            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(buffer, length, out _));
            random.NextBytes(buffer.AsSpan(0, length));
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer, length, out _));
        }
    }

    [Theory]
    [InlineData(0x0001, 7)]
    [InlineData(0x0007, 8)]
    public void Unprotect_MutatedOrTruncatedValidPackets_NeverThrowsOrAccepts(int profileCode, int seed)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        var random = new Random(seed);
        var key = new byte[profile.KeyLength()];
        var salt = new byte[profile.SaltLength()];
        random.NextBytes(key);
        random.NextBytes(salt);
        using var sender = SrtpContext.Create(profile, key, salt);
        using var receiver = SrtpContext.Create(profile, key, salt);
        var buffer = new byte[1600];

        for (var i = 0; i < 3000; i++)
        {
            var rtcp = random.Next(4) == 0;
            var plain = rtcp
                ? SrtpTestPackets.Rtcp((uint)random.Next(1, 4), 4 * random.Next(0, 30))
                : SrtpTestPackets.Rtp((ushort)i, (uint)random.Next(1, 4), random.Next(0, 300), random.Next(0, 4), random.Next(-1, 4));
            plain.CopyTo(buffer, 0);
            var status = rtcp
                ? sender.ProtectRtcp(buffer, plain.Length, out var length)
                : sender.ProtectRtp(buffer, plain.Length, out length);
            Assert.Equal(SrtpStatus.Ok, status);

            if (random.Next(2) == 0)
            {
                length = random.Next(0, length);
            }
            else
            {
                buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
            }

            status = rtcp ? receiver.UnprotectRtcp(buffer, length, out _) : receiver.UnprotectRtp(buffer, length, out _);
            Assert.NotEqual(SrtpStatus.Ok, status);
        }
    }
}
