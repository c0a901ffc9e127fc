using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

public sealed class RtpRewriterTests
{
    [Fact]
    public void Setters_FixedFields_RewriteOnlyThoseBytes()
    {
        var bytes = RtpVectors.OneByte;
        var original = (byte[])bytes.Clone();

        Assert.True(RtpRewriter.SetSequenceNumber(bytes, 0xABCD));
        Assert.True(RtpRewriter.SetTimestamp(bytes, 0x01020304));
        Assert.True(RtpRewriter.SetSsrc(bytes, 0xA1B2C3D4));
        Assert.True(RtpRewriter.SetPayloadType(bytes, 96));

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.Equal(0xABCD, packet.SequenceNumber);
        Assert.Equal(0x01020304u, packet.Timestamp);
        Assert.Equal(0xA1B2C3D4u, packet.Ssrc);
        Assert.Equal(96, packet.PayloadType);
        Assert.True(packet.Marker);
        Assert.Equal(original[0], bytes[0]);
        Assert.Equal(original.AsSpan(12).ToArray(), bytes.AsSpan(12).ToArray());
    }

    [Theory]
    [InlineData(true, 0xE0)]
    [InlineData(false, 0x60)]
    public void SetMarker_KeepsPayloadType(bool marker, byte expected)
    {
        var bytes = RtpVectors.Minimal;

        Assert.True(RtpRewriter.SetMarker(bytes, marker));

        Assert.Equal(expected, bytes[1]);
    }

    [Fact]
    public void Setters_ShortSpanOrBadPayloadType_ReturnFalse()
    {
        var bytes = new byte[11];

        Assert.False(RtpRewriter.SetSequenceNumber(bytes, 1));
        Assert.False(RtpRewriter.SetTimestamp(bytes, 1));
        Assert.False(RtpRewriter.SetSsrc(bytes, 1));
        Assert.False(RtpRewriter.SetMarker(bytes, true));
        Assert.False(RtpRewriter.SetPayloadType(bytes, 1));
        Assert.False(RtpRewriter.SetPayloadType(RtpVectors.Minimal, 128));
        Assert.All(bytes, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(nameof(RtpVectors.OneByte))]
    [InlineData(nameof(RtpVectors.TwoByte))]
    public void TryWriteExtension_SameLength_RewritesValueInPlace(string vector)
    {
        var bytes = RtpPacketTests.GetVector(vector);

        Assert.True(RtpRewriter.TryWriteExtension(bytes, 3, [9, 8, 7, 6]));
        Assert.False(RtpRewriter.TryWriteExtension(bytes, 3, [1, 2]));
        Assert.False(RtpRewriter.TryWriteExtension(bytes, 9, [1]));

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.True(packet.TryGetExtension(3, out var value));
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, value.ToArray());
    }

    [Fact]
    public void TryGetExtension_WritableSpan_AliasesPacket()
    {
        var bytes = RtpVectors.OneByte;

        Assert.True(RtpRewriter.TryGetExtension(bytes, 2, out var value));
        value[0] = 0x42;

        Assert.Equal(0x42, bytes[27]);
        Assert.False(RtpRewriter.TryGetExtension(RtpVectors.Minimal, 2, out _));
    }

    [Theory]
    [InlineData(nameof(RtpVectors.OneByte), 3, 14, true)]
    [InlineData(nameof(RtpVectors.OneByte), 3, 15, false)]
    [InlineData(nameof(RtpVectors.OneByte), 3, 0, false)]
    [InlineData(nameof(RtpVectors.OneByte), 5, 6, false)]
    [InlineData(nameof(RtpVectors.TwoByte), 1, 200, true)]
    [InlineData(nameof(RtpVectors.TwoByte), 3, 255, true)]
    [InlineData(nameof(RtpVectors.Minimal), 1, 2, false)]
    public void TrySetExtensionId_Cases(string vector, byte oldId, byte newId, bool expected)
    {
        var bytes = RtpPacketTests.GetVector(vector);
        var original = (byte[])bytes.Clone();
        byte[]? value = null;
        if (RtpPacket.TryRead(original, out var before, out _) && before.TryGetExtension(oldId, out var v))
        {
            value = v.ToArray();
        }

        Assert.Equal(expected, RtpRewriter.TrySetExtensionId(bytes, oldId, newId));

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        if (expected)
        {
            Assert.True(packet.TryGetExtension(newId, out var moved));
            Assert.Equal(value, moved.ToArray());
            Assert.False(packet.TryGetExtension(oldId, out _));
        }
        else
        {
            Assert.Equal(original, bytes);
        }
    }

    [Fact]
    public void TryMapExtensionIds_OneByte_RenumbersAndDropsUnmapped()
    {
        var bytes = RtpVectors.OneByte;
        byte[] map = [0, 5, 0, 14]; // 1 → 5, 2 dropped, 3 → 14

        Assert.True(RtpRewriter.TryMapExtensionIds(bytes, map));

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.Equal(RtpVectors.OneByte.Length, packet.Length);
        Assert.Equal("5:AA 14:01020304", Describe(packet));
        Assert.Equal(new byte[] { 0x50, 0xAA, 0, 0, 0, 0, 0, 0xE3 }, bytes.AsSpan(24, 8).ToArray());
    }

    [Fact]
    public void TryMapExtensionIds_TwoByte_IdsOutsideMapDropped()
    {
        var bytes = RtpVectors.TwoByte;
        byte[] map = [0, 100, 200]; // 3 is outside the map

        Assert.True(RtpRewriter.TryMapExtensionIds(bytes, map));

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.Equal("100: 200:DD", Describe(packet));
    }

    [Fact]
    public void TryMapExtensionIds_IdTooLargeForOneByte_LeavesPacketUnchanged()
    {
        var bytes = RtpVectors.OneByte;
        byte[] map = [0, 2, 3, 15];

        Assert.False(RtpRewriter.TryMapExtensionIds(bytes, map));

        Assert.Equal(RtpVectors.OneByte, bytes);
    }

    [Fact]
    public void TryMapExtensionIds_NoExtensionBlock_Succeeds()
    {
        var bytes = RtpVectors.Minimal;

        Assert.True(RtpRewriter.TryMapExtensionIds(bytes, [0, 1]));
        Assert.Equal(RtpVectors.Minimal, bytes);
        Assert.False(RtpRewriter.TryMapExtensionIds(bytes.AsSpan(0, 5), [0, 1]));
    }

    internal static string Describe(RtpPacket packet)
    {
        var parts = new List<string>();
        foreach (var extension in packet.GetExtensions())
        {
            parts.Add($"{extension.Id}:{Convert.ToHexString(extension.Value)}");
        }

        return string.Join(' ', parts);
    }
}
