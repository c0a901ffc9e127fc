using Starling.Proto;
using Starling.Rooms.Media;

namespace Starling.Rooms.Tests.Media;

public sealed class ConnectionQualityScoreTests
{
    [Theory]
    [InlineData(0.0, 0, 1, ConnectionQuality.Excellent)]
    [InlineData(0.005, 5, 20, ConnectionQuality.Excellent)]
    [InlineData(0.02, 10, 50, ConnectionQuality.Excellent)]
    [InlineData(0.03, 10, 50, ConnectionQuality.Good)]
    [InlineData(0.05, 2, 2, ConnectionQuality.Good)]
    [InlineData(0.10, 2, 2, ConnectionQuality.Poor)]
    [InlineData(0.0, 30, 800, ConnectionQuality.Poor)] // long delay alone
    [InlineData(1.0, 0, 0, ConnectionQuality.Poor)]
    public void Classify_FromLossJitterRtt(double loss, double jitterMs, double rttMs, ConnectionQuality expected)
    {
        Assert.Equal(expected, ConnectionQualityScore.Classify(ConnectionQualityScore.Score(loss, jitterMs, rttMs)));
    }

    [Fact]
    public void Score_IsBoundedAndFallsWithLoss()
    {
        var previous = double.MaxValue;
        for (var loss = 0.0; loss <= 1.0; loss += 0.01)
        {
            var score = ConnectionQualityScore.Score(loss, 5, 20);
            Assert.InRange(score, 1, 4.5);
            Assert.True(score <= previous);
            previous = score;
        }

        Assert.InRange(ConnectionQualityScore.Score(-1, -5, -5), 4.3, 4.5); // nonsense input is clamped, not thrown
    }
}
