using Starling.Proto;

namespace Starling.Rooms.Media;

/// <summary>
/// Connection quality from network measurements, as a MOS-like score (1 to 4.5) and LiveKit's quality classes: a
/// simplified ITU-T G.107 E-model. The delay impairment uses one-way delay ≈ RTT/2 plus twice the jitter (a jitter
/// buffer's cost); the loss impairment is 4 R-points per percent of packets lost (what concealment cannot hide).
/// </summary>
/// <remarks>
/// Clean loopback scores about 4.4 (EXCELLENT); 5% loss about 3.7 (GOOD); 10% loss about 2.7 (POOR).
/// </remarks>
internal static class ConnectionQualityScore
{
    /// <summary>Scores at or above this are EXCELLENT.</summary>
    public const double ExcellentFrom = 4.1;

    /// <summary>Scores at or above this (and below <see cref="ExcellentFrom"/>) are GOOD.</summary>
    public const double GoodFrom = 3.2;

    /// <summary>The MOS-like score for a loss fraction (0..1), jitter and round-trip time in milliseconds.</summary>
    public static double Score(double lossFraction, double jitterMs, double rttMs)
    {
        var delay = Math.Max(0, rttMs) / 2 + 2 * Math.Max(0, jitterMs) + 10;
        var r = 93.2 - (delay < 160 ? delay / 40 : (delay - 120) / 10) - 4 * 100 * Math.Clamp(lossFraction, 0, 1);
        r = Math.Clamp(r, 0, 100);
        var mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
        return Math.Clamp(mos, 1, 4.5);
    }

    public static ConnectionQuality Classify(double score) =>
        score >= ExcellentFrom ? ConnectionQuality.Excellent : score >= GoodFrom ? ConnectionQuality.Good : ConnectionQuality.Poor;
}
