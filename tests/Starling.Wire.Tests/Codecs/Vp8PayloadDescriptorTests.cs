using Starling.Wire.Codecs;

namespace Starling.Wire.Tests.Codecs;

public sealed class Vp8PayloadDescriptorTests
{
    // RFC 7741 §4.2: X=1 S=1 PID=0; I L T; M=1 picture id 1; TL0PICIDX 5; TID 1 Y 0. Then the §4.3 payload header
    // of a key frame (P = 0) and the key frame start code 9D 01 2A.
    private static byte[] KeyFrame => [0x90, 0xE0, 0x80, 0x01, 0x05, 0x40, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A];

    [Fact]
    public void TryRead_AllExtensions_ReadsEveryField()
    {
        Assert.True(Vp8PayloadDescriptor.TryRead(KeyFrame, out var descriptor, out var read));

        Assert.Equal(6, read);
        Assert.Equal(6, descriptor.Size);
        Assert.True(descriptor.Extended);
        Assert.True(descriptor.StartOfPartition);
        Assert.False(descriptor.NonReference);
        Assert.Equal(0, descriptor.PartitionIndex);
        Assert.True(descriptor.HasPictureId);
        Assert.True(descriptor.HasLongPictureId);
        Assert.Equal(1, descriptor.PictureId);
        Assert.True(descriptor.HasTl0PicIdx);
        Assert.Equal(5, descriptor.Tl0PicIdx);
        Assert.True(descriptor.HasTemporalLayerId);
        Assert.Equal(1, descriptor.TemporalLayerId);
        Assert.False(descriptor.LayerSync);
        Assert.False(descriptor.HasKeyIndex);
    }

    [Theory]
    [InlineData("10", 1, false, 0, false, 0)]
    [InlineData("9080 05", 3, true, 5, false, 0)]
    [InlineData("9080 FFFF", 4, true, 0x7FFF, false, 0)]
    [InlineData("A010 1F", 3, false, 0, true, 31)] // N=1, K only: KEYIDX 31
    [InlineData("8000", 2, false, 0, false, 0)] // X with no I/L/T/K
    public void TryRead_Cases(string hex, int size, bool hasPictureId, int pictureId, bool hasKeyIndex, int keyIndex)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

        Assert.True(Vp8PayloadDescriptor.TryRead(bytes, out var descriptor, out var read));

        Assert.Equal(size, read);
        Assert.Equal(size, descriptor.Size);
        Assert.Equal(hasPictureId, descriptor.HasPictureId);
        Assert.Equal(pictureId, descriptor.PictureId);
        Assert.Equal(hasKeyIndex, descriptor.HasKeyIndex);
        Assert.Equal(keyIndex, descriptor.KeyIndex);

        var buffer = new byte[8];
        Assert.True(descriptor.TryWrite(buffer, out var written));
        Assert.Equal(bytes, buffer.AsSpan(0, written).ToArray());
    }

    [Theory]
    [InlineData("90E0800105401002009D012A", true)] // key frame, all extensions
    [InlineData("1010", true)] // no extensions, P = 0
    [InlineData("908005 11", false)] // P = 1: inter frame
    [InlineData("808005 10", false)] // S = 0: continuation
    [InlineData("11 10", false)] // PID = 1
    [InlineData("9080 05", false)] // no VP8 payload after the descriptor
    [InlineData("90E080", false)] // truncated descriptor
    [InlineData("", false)]
    public void IsKeyFrame_Cases(string hex, bool expected)
    {
        Assert.Equal(expected, Vp8PayloadDescriptor.IsKeyFrame(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal))));
    }

    [Fact]
    public void TryRead_EveryTruncationOfDescriptor_ReturnsFalse()
    {
        var bytes = KeyFrame;
        for (var cut = 0; cut < 6; cut++)
        {
            Assert.False(Vp8PayloadDescriptor.TryRead(bytes.AsSpan(0, cut), out _, out _), $"cut {cut}");
        }
    }

    [Fact]
    public void TrySetPictureIdAndTl0PicIdx_LongPictureId_RewritesInPlace()
    {
        var bytes = KeyFrame;

        Assert.True(Vp8PayloadDescriptor.TrySetPictureId(bytes, 0x9234)); // 15 bits kept: 0x1234
        Assert.True(Vp8PayloadDescriptor.TrySetTl0PicIdx(bytes, 200));

        Assert.True(Vp8PayloadDescriptor.TryRead(bytes, out var descriptor, out _));
        Assert.Equal(0x1234, descriptor.PictureId);
        Assert.Equal(200, descriptor.Tl0PicIdx);
        Assert.Equal(1, descriptor.TemporalLayerId);
        Assert.Equal(KeyFrame.AsSpan(5).ToArray(), bytes.AsSpan(5).ToArray());
    }

    [Fact]
    public void TrySetPictureId_ShortPictureId_WrapsAt128()
    {
        byte[] bytes = [0x90, 0xC0, 0x7F, 0x09, 0x11];

        Assert.True(Vp8PayloadDescriptor.TrySetPictureId(bytes, 130));
        Assert.True(Vp8PayloadDescriptor.TrySetTl0PicIdx(bytes, 10));

        Assert.Equal(new byte[] { 0x90, 0xC0, 0x02, 0x0A, 0x11 }, bytes);
    }

    [Fact]
    public void TrySet_FieldAbsent_ReturnsFalse()
    {
        byte[] bytes = [0x10, 0x10];

        Assert.False(Vp8PayloadDescriptor.TrySetPictureId(bytes, 1));
        Assert.False(Vp8PayloadDescriptor.TrySetTl0PicIdx(bytes, 1));
        Assert.False(Vp8PayloadDescriptor.TrySetPictureId([], 1));
        Assert.Equal(new byte[] { 0x10, 0x10 }, bytes);
    }

    [Fact]
    public void TryWrite_OutOfRange_ReturnsFalse()
    {
        var buffer = new byte[8];

        Assert.False(new Vp8PayloadDescriptor { HasPictureId = true, PictureId = 128 }.TryWrite(buffer, out _));
        Assert.False(new Vp8PayloadDescriptor { HasTemporalLayerId = true, TemporalLayerId = 4 }.TryWrite(buffer, out _));
        Assert.False(new Vp8PayloadDescriptor { PartitionIndex = 8 }.TryWrite(buffer, out _));
        Assert.False(new Vp8PayloadDescriptor { HasPictureId = true, HasLongPictureId = true }.TryWrite(buffer.AsSpan(0, 3), out _));
    }
}
