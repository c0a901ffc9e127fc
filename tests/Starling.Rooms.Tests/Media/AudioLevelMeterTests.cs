using Starling.Rooms.Media;

namespace Starling.Rooms.Tests.Media;

public sealed class AudioLevelMeterTests
{
    [Theory]
    [InlineData(new byte[] { 20, 20, 25, 30 }, true)]
    [InlineData(new byte[] { 127, 127, 127, 127 }, false)]
    [InlineData(new byte[] { 90, 100, 110, 127 }, false)]
    [InlineData(new byte[] { 10, 127, 127, 127 }, false)]
    [InlineData(new byte[] { 10, 10, 10, 127 }, true)]
    public void TakeWindow_MostlyLoud_IsActive(byte[] levels, bool expected)
    {
        var meter = new AudioLevelMeter();
        foreach (var level in levels)
        {
            meter.Add(level);
        }

        Assert.Equal(expected, meter.TakeWindow().Active);
    }

    [Fact]
    public void TakeWindow_ResetsAndReportsLinearLevel()
    {
        var meter = new AudioLevelMeter();
        meter.Add(0);
        meter.Add(0);
        var (level, active) = meter.TakeWindow();
        Assert.Equal(1f, level, 3);
        Assert.True(active);
        Assert.Equal((0f, false), meter.TakeWindow());
    }

    [Fact]
    public void Add_SilenceAndOutOfRange_CountAsSilent()
    {
        var meter = new AudioLevelMeter();
        meter.Add(127);
        meter.Add(255);
        var (level, active) = meter.TakeWindow();
        Assert.Equal(0f, level);
        Assert.False(active);
    }
}
