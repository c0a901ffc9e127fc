using Starling.Transport.Srtp;

namespace Starling.Transport.Tests.Srtp;

public sealed class SrtpReplayWindowTests
{
    [Fact]
    public void Check_Empty_AcceptsAnything()
    {
        var window = default(SrtpReplayWindow);

        Assert.Equal(SrtpStatus.Ok, window.Check(0));
        Assert.Equal(SrtpStatus.Ok, window.Check(123456));
    }

    [Fact]
    public void Check_SeenIndex_IsReplayed()
    {
        var window = default(SrtpReplayWindow);
        window.Accept(100);
        window.Accept(98);

        Assert.Equal(SrtpStatus.Replayed, window.Check(100));
        Assert.Equal(SrtpStatus.Replayed, window.Check(98));
        Assert.Equal(SrtpStatus.Ok, window.Check(99));
        Assert.Equal(SrtpStatus.Ok, window.Check(101));
    }

    [Theory]
    [InlineData(1000, 937, "Ok")]
    [InlineData(1000, 936, "TooOld")]
    [InlineData(1000, 0, "TooOld")]
    public void Check_BehindHighest_HonoursWindowSize(ulong highest, ulong index, string expected)
    {
        var window = default(SrtpReplayWindow);
        window.Accept(highest);

        Assert.Equal(Enum.Parse<SrtpStatus>(expected), window.Check(index));
    }

    [Fact]
    public void Accept_BigJump_ForgetsOldBits()
    {
        var window = default(SrtpReplayWindow);
        window.Accept(5);
        window.Accept(5 + 200);

        Assert.Equal(SrtpStatus.Ok, window.Check(5 + 199));
        Assert.Equal(SrtpStatus.Replayed, window.Check(5 + 200));
        Assert.Equal(205UL, window.Highest);
    }
}
