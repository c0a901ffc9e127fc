using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

/// <summary><see cref="RtpRewriter.TrySetOrInsertExtension"/>: stamping a transport-wide sequence number on a packet that may or may not carry one.</summary>
public sealed class RtpExtensionInsertTests
{
    public static TheoryData<string, byte[], byte, int> Cases => new()
    {
        // name, packet, id, expected growth
        { "one-byte block, id present (overwrite)", RtpVectors.OneByte, 2, 0 },
        { "one-byte block, new id (insert one word)", RtpVectors.OneByte, 5, 4 },
        { "two-byte block, new id (insert one word)", RtpVectors.TwoByte, 9, 4 },
        { "two-byte block, id above 14", RtpVectors.TwoByte, 200, 4 },
        { "no block (create one)", RtpVectors.Minimal, 3, 8 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SetOrInsert_KeepsEverythingElse(string name, byte[] packet, byte id, int growth)
    {
        Assert.NotNull(name);
        var buffer = new byte[packet.Length + 16];
        packet.CopyTo(buffer, 0);
        var length = packet.Length;
        Assert.True(RtpPacket.TryRead(packet, out var before, out _));
        var otherExtensions = Extensions(before).Where(e => e.Id != id).ToList();

        Assert.True(RtpRewriter.TrySetOrInsertExtension(buffer, ref length, id, [0xAB, 0xCD]));

        Assert.Equal(packet.Length + growth, length);
        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out var after, out _));
        Assert.True(after.TryGetExtension(id, out var value));
        Assert.Equal([0xAB, 0xCD], value.ToArray());
        Assert.Equal(otherExtensions, Extensions(after).Where(e => e.Id != id).ToList());
        Assert.Equal(before.Payload.ToArray(), after.Payload.ToArray());
        Assert.Equal(before.PaddingLength, after.PaddingLength);
        Assert.Equal(before.SequenceNumber, after.SequenceNumber);
        Assert.Equal(before.Ssrc, after.Ssrc);
        Assert.Equal(before.CsrcCount, after.CsrcCount);
        Assert.Equal(before.Marker, after.Marker);
    }

    [Fact]
    public void SetOrInsert_Twice_OverwritesTheInsertedElement()
    {
        var buffer = new byte[64];
        RtpVectors.Minimal.CopyTo(buffer, 0);
        var length = RtpVectors.Minimal.Length;

        Assert.True(RtpRewriter.TrySetOrInsertExtension(buffer, ref length, 3, [0, 1]));
        Assert.True(RtpRewriter.TrySetOrInsertExtension(buffer, ref length, 3, [0, 2]));

        Assert.Equal(RtpVectors.Minimal.Length + 8, length);
        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out var packet, out _));
        Assert.True(packet.TryGetExtension(3, out var value));
        Assert.Equal([0, 2], value.ToArray());
    }

    [Theory]
    [InlineData(15)] // not a one-byte id
    [InlineData(0)]
    public void SetOrInsert_IdOutsideTheForm_ChangesNothing(byte id)
    {
        var buffer = new byte[64];
        RtpVectors.OneByte.CopyTo(buffer, 0);
        var original = (byte[])buffer.Clone();
        var length = RtpVectors.OneByte.Length;

        Assert.False(RtpRewriter.TrySetOrInsertExtension(buffer, ref length, id, [1, 2]));

        Assert.Equal(RtpVectors.OneByte.Length, length);
        Assert.Equal(original, buffer);
    }

    [Fact]
    public void SetOrInsert_NoRoom_ChangesNothing()
    {
        var buffer = (byte[])RtpVectors.Minimal.Clone();
        var length = buffer.Length;

        Assert.False(RtpRewriter.TrySetOrInsertExtension(buffer, ref length, 3, [1, 2]));

        Assert.Equal(RtpVectors.Minimal, buffer);
    }

    [Fact]
    public void SetOrInsert_RandomAndTruncatedInput_NeverThrowsAndStaysParseable()
    {
        var random = new Random(7);
        var buffer = new byte[96];
        for (var i = 0; i < 5000; i++)
        {
            var source = random.Next(3) switch { 0 => RtpVectors.OneByte, 1 => RtpVectors.TwoByte, _ => RtpVectors.Minimal };
            var length = random.Next(0, source.Length + 1);
            source.AsSpan(0, length).CopyTo(buffer);
            if (random.Next(4) == 0)
            {
                random.NextBytes(buffer.AsSpan(0, length));
            }

            var changed = RtpRewriter.TrySetOrInsertExtension(buffer, ref length, (byte)random.Next(0, 20), [9, 9]);
            if (changed)
            {
                Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out _, out _));
            }
        }
    }

    private static List<(int Id, string Value)> Extensions(RtpPacket packet)
    {
        var list = new List<(int, string)>();
        foreach (var extension in packet.GetExtensions())
        {
            list.Add((extension.Id, Convert.ToHexString(extension.Value)));
        }

        return list;
    }
}
