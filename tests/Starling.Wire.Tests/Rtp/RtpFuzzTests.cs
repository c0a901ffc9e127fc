using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

public sealed class RtpFuzzTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 20260101 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryRead_RandomBytes_NeverThrows(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[128];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length > 0 && random.Next(2) == 0)
            {
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F)); // version 2, so the rest gets exercised
            }

            Exercise(buffer.AsSpan(0, length), random);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryRead_MutatedVectors_NeverThrows(int seed)
    {
        var random = new Random(seed);
        byte[][] vectors = [RtpVectors.Minimal, RtpVectors.OneByte, RtpVectors.TwoByte];
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])vectors[random.Next(vectors.Length)].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            Exercise(bytes.AsSpan(0, random.Next(bytes.Length + 1)), random);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Writer_RandomExtensionSets_RoundTrip(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[1500];
        for (var i = 0; i < 5_000; i++)
        {
            var csrcs = random.Next(4);
            var ids = new List<(byte Id, byte[] Value)>();
            var twoByte = random.Next(4) == 0;
            for (var n = random.Next(6); n > 0; n--)
            {
                var id = (byte)(twoByte ? random.Next(1, 256) : random.Next(1, 15));
                if (ids.Exists(e => e.Id == id))
                {
                    continue;
                }

                var value = new byte[twoByte ? random.Next(0, 40) : random.Next(1, 17)];
                random.NextBytes(value);
                ids.Add((id, value));
            }

            var payload = new byte[random.Next(200)];
            random.NextBytes(payload);
            var padding = random.Next(3) == 0 ? random.Next(1, 256) : 0;
            var marker = random.Next(2) == 0;

            var writer = new RtpPacketWriter(buffer, (byte)random.Next(128), (ushort)i, (uint)(i * 3000), 0xABCDEF, marker);
            for (var c = 0; c < csrcs; c++)
            {
                Assert.True(writer.AddCsrc((uint)c));
            }

            foreach (var (id, value) in ids)
            {
                Assert.True(writer.AddExtension(id, value));
            }

            Assert.True(writer.AddPayload(payload));
            Assert.True(writer.TryComplete(out var length, padding));

            Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out var packet, out _));
            Assert.Equal(marker, packet.Marker);
            Assert.Equal((ushort)i, packet.SequenceNumber);
            Assert.Equal(csrcs, packet.CsrcCount);
            Assert.Equal(ids.Count > 0, packet.HasExtension);
            Assert.Equal(payload, packet.Payload.ToArray());
            Assert.Equal(padding, packet.PaddingLength);
            foreach (var (id, value) in ids)
            {
                Assert.True(packet.TryGetExtension(id, out var read));
                Assert.Equal(value, read.ToArray());
            }
        }
    }

    private static void Exercise(ReadOnlySpan<byte> bytes, Random random)
    {
        if (RtpPacket.TryRead(bytes, out var packet, out var read))
        {
            Assert.Equal(bytes.Length, read);
            Assert.InRange(packet.HeaderLength + packet.PaddingLength, RtpPacket.FixedHeaderSize, bytes.Length);
            _ = packet.Payload;
            _ = packet.ExtensionData;
            _ = packet.ExtensionProfile;
            for (var i = 0; i < packet.CsrcCount; i++)
            {
                _ = packet.GetCsrc(i);
            }

            var elements = packet.GetExtensions();
            while (elements.MoveNext())
            {
                var extension = elements.Current;
                Assert.InRange(extension.Offset + extension.Value.Length, 0, packet.HeaderLength);
            }

            Assert.False(elements.IsMalformed);
            RtpRtx.TryGetOriginalSequenceNumber(packet, out _);
            RtpRtx.TryUnwrap(packet, stackalloc byte[64], 96, 1, out _);
            RtpRtx.TryWrap(packet, stackalloc byte[64], 97, 1, 1, out _);
        }

        var valid = RtpPacket.TryRead(bytes, out _, out _);
        var copy = bytes.ToArray();
        RtpRewriter.TryMapExtensionIds(copy, [0, 3, 2, 1, 14, 15, 200]);
        RtpRewriter.TrySetExtensionId(copy, (byte)random.Next(256), (byte)random.Next(256));
        RtpRewriter.TryWriteExtension(copy, 1, [1]);
        RtpRewriter.SetSequenceNumber(copy, 1);
        RtpRewriter.SetPayloadType(copy, 1);
        RtpRtx.TryUnwrapInPlace(copy, 96, 1, out _);
        if (valid)
        {
            // Every in-place edit keeps a valid packet valid.
            Assert.True(RtpPacket.TryRead(copy, out _, out _));
        }
    }
}
