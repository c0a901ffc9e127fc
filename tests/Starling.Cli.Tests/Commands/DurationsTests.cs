using Starling.Cli.Commands;

namespace Starling.Cli.Tests.Commands;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("6h", 21600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("1.5h", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("45", 45)]
    [InlineData(" 10m ", 600)]
    public void TryParse_Valid(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("5x")]
    [InlineData("5 m")]
    [InlineData("-5m")]
    [InlineData("1h30")]
    [InlineData("99999999999999999d")]
    public void TryParse_Invalid(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }
}
