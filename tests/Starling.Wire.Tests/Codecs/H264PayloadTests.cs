using Starling.Wire.Codecs;

namespace Starling.Wire.Tests.Codecs;

public sealed class H264PayloadTests
{
    [Theory]
    [InlineData("65888400", true, 5)] // single NAL unit (RFC 6184 §5.6): IDR slice
    [InlineData("6742C01F", true, 7)] // SPS
    [InlineData("68CE3C80", false, 8)] // PPS
    [InlineData("419A0203", false, 1)] // non-IDR slice
    [InlineData("06050102", false, 6)] // SEI
    [InlineData("78 0004 6742C01F 0002 68CE", true, 7)] // STAP-A (§5.7.1): SPS + PPS
    [InlineData("78 0002 68CE 0003 658884", true, 8)] // STAP-A: PPS, then IDR
    [InlineData("78 0003 419A02", false, 1)] // STAP-A: non-IDR only
    [InlineData("78 0009 6742", false, 7)] // STAP-A: unit size past the end
    [InlineData("78 0000 65", false, 0)] // STAP-A: zero-length unit
    [InlineData("7C 85 8884", true, 5)] // FU-A (§5.8) start of an IDR
    [InlineData("7C 05 8884", false, 5)] // FU-A middle fragment
    [InlineData("7C 45 8884", false, 5)] // FU-A end fragment
    [InlineData("5C 81 9A02", false, 1)] // FU-A start of a non-IDR slice
    [InlineData("7C", false, 0)] // FU-A without its header
    public void IsKeyFrame_Cases(string hex, bool keyFrame, int nalType)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

        Assert.Equal(keyFrame, H264Payload.IsKeyFrame(bytes));
        var known = H264Payload.TryGetNalUnitType(bytes, out var type);
        Assert.Equal(nalType != 0, known);
        Assert.Equal(nalType, type);
    }

    [Fact]
    public void IsKeyFrame_Empty_ReturnsFalse()
    {
        Assert.False(H264Payload.IsKeyFrame([]));
        Assert.False(H264Payload.TryGetNalUnitType([], out _));
    }
}
