using Starling.Wire.Codecs;

namespace Starling.Wire.Tests.Codecs;

public sealed class Vp9PayloadDescriptorTests
{
    // RFC 9628 §4.2 non-flexible mode: I=1 B=1 V=1 (0x8A), 15-bit picture id 1, and the §4.2.1 scalability
    // structure: N_S=0 Y=1 G=1 (0x18), 640×480, N_G=1, one group TID 0 U 0 R 1 (0x04) with P_DIFF 1.
    private static byte[] KeyFrame => [0x8A, 0x80, 0x01, 0x18, 0x02, 0x80, 0x01, 0xE0, 0x01, 0x04, 0x01, 0xAA, 0xBB];

    // Flexible mode: I P L F B E (0xFC), 7-bit picture id 5, TID 1 U 0 SID 1 D 1 (0x23), P_DIFF 1 (N=1), P_DIFF 2.
    private static byte[] InterFrame => [0xFC, 0x05, 0x23, 0x03, 0x04, 0xAA];

    [Fact]
    public void TryRead_KeyFrameWithScalabilityStructure_ReadsEveryField()
    {
        var bytes = KeyFrame;

        Assert.True(Vp9PayloadDescriptor.TryRead(bytes, out var descriptor, out var read));

        Assert.Equal(11, read);
        Assert.Equal(11, descriptor.Size);
        Assert.True(descriptor.HasPictureId);
        Assert.True(descriptor.HasLongPictureId);
        Assert.Equal(1, descriptor.PictureId);
        Assert.False(descriptor.InterPicturePredicted);
        Assert.True(descriptor.StartOfFrame);
        Assert.False(descriptor.EndOfFrame);
        Assert.True(descriptor.HasScalabilityStructure);
        Assert.Equal(1, descriptor.SpatialLayerCount);
        Assert.True(descriptor.HasResolutions);
        Assert.True(descriptor.IsKeyFrameStart);
        Assert.True(Vp9PayloadDescriptor.IsKeyFrame(bytes));
        Assert.True(Vp9PayloadDescriptor.TryGetResolution(bytes, 0, out var width, out var height));
        Assert.Equal((640, 480), (width, height));
        Assert.False(Vp9PayloadDescriptor.TryGetResolution(bytes, 1, out _, out _));
    }

    [Fact]
    public void TryRead_FlexibleInterFrame_ReadsLayersAndReferences()
    {
        Assert.True(Vp9PayloadDescriptor.TryRead(InterFrame, out var descriptor, out var read));

        Assert.Equal(5, read);
        Assert.True(descriptor.FlexibleMode);
        Assert.True(descriptor.InterPicturePredicted);
        Assert.True(descriptor.EndOfFrame);
        Assert.Equal(5, descriptor.PictureId);
        Assert.Equal(1, descriptor.TemporalLayerId);
        Assert.Equal(1, descriptor.SpatialLayerId);
        Assert.True(descriptor.InterLayerDependency);
        Assert.False(descriptor.SwitchingUpPoint);
        Assert.False(descriptor.HasTl0PicIdx);
        Assert.Equal(2, descriptor.ReferenceCount);
        Assert.False(descriptor.IsKeyFrameStart);
    }

    [Theory]
    [InlineData("A8 05 00 07", true, 4)] // non-flexible, L: SID 0 TID 0, TL0PICIDX 7, P=0 B=1
    [InlineData("A8 05 02 07", false, 4)] // same on spatial layer 1
    [InlineData("E8 05 00 07", false, 4)] // P = 1
    [InlineData("A0 05 00 07", false, 4)] // B = 0
    [InlineData("08", true, 1)] // only B
    public void IsKeyFrame_Cases(string hex, bool keyFrame, int size)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

        Assert.True(Vp9PayloadDescriptor.TryRead(bytes, out var descriptor, out _));
        Assert.Equal(size, descriptor.Size);
        Assert.Equal(keyFrame, Vp9PayloadDescriptor.IsKeyFrame(bytes));
    }

    [Theory]
    [InlineData("D0 05 01 01 01 01")] // flexible P_DIFF chain of four
    [InlineData("D0 05 01")] // P_DIFF chain not terminated
    [InlineData("02 F0 00")] // SS: 8 layers' resolutions missing
    public void TryRead_Malformed_ReturnsFalse(string hex)
    {
        Assert.False(Vp9PayloadDescriptor.TryRead(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)), out _, out _));
    }

    [Theory]
    [InlineData(nameof(KeyFrame), 11)]
    [InlineData(nameof(InterFrame), 5)]
    public void TryRead_EveryTruncationOfDescriptor_ReturnsFalse(string vector, int size)
    {
        var bytes = vector == nameof(KeyFrame) ? KeyFrame : InterFrame;
        for (var cut = 0; cut < size; cut++)
        {
            Assert.False(Vp9PayloadDescriptor.TryRead(bytes.AsSpan(0, cut), out _, out _), $"cut {cut}");
        }
    }
}
