using System.Net;
using Starling.Wire.Stun;

namespace Starling.Wire.Tests.Stun;

public sealed class StunFuzzTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 20260101 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryRead_RandomBytes_NeverThrows(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[256];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (random.Next(2) == 0 && length >= 20)
            {
                // Make the header plausible so the attribute walk is exercised.
                buffer[0] &= 0x3F;
                buffer[2] = 0;
                buffer[3] = (byte)((length - 20) & ~3);
                buffer[4] = 0x21;
                buffer[5] = 0x12;
                buffer[6] = 0xA4;
                buffer[7] = 0x42;
            }

            Exercise(buffer.AsSpan(0, length));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryRead_MutatedAndTruncatedVectors_NeverThrows(int seed)
    {
        var random = new Random(seed);
        byte[][] vectors = [Rfc5769Vectors.Request, Rfc5769Vectors.ResponseIPv4, Rfc5769Vectors.ResponseIPv6];
        foreach (var vector in vectors)
        {
            for (var cut = 0; cut <= vector.Length; cut++)
            {
                Exercise(vector.AsSpan(0, cut));
            }
        }

        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])vectors[random.Next(vectors.Length)].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            Exercise(bytes.AsSpan(0, random.Next(bytes.Length + 1)));
        }
    }

    private static void Exercise(ReadOnlySpan<byte> bytes)
    {
        if (!StunMessage.TryRead(bytes, out var message, out var read))
        {
            return;
        }

        Assert.InRange(read, StunMessage.HeaderSize, bytes.Length);
        _ = message.TransactionId;
        _ = message.Class;
        message.TryGetUsername(out _);
        message.TryGetPriority(out _);
        message.TryGetIceControlled(out _);
        message.TryGetIceControlling(out _);
        message.TryGetErrorCode(out _, out _);
        message.TryGetUnknownAttributes(stackalloc ushort[4], out _);
        message.TryGetXorMappedAddress(out IPEndPoint? _);
        message.GetUnknownComprehensionRequired(stackalloc ushort[4]);
        message.VerifyMessageIntegrity("key"u8);
        message.VerifyFingerprint();
        _ = message.HasUseCandidate;
        foreach (var attribute in message.GetAttributes())
        {
            Assert.InRange(attribute.Offset + 4 + attribute.Value.Length, 0, read);
        }
    }
}
