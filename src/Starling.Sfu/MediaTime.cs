namespace Starling.Sfu;

/// <summary>
/// Conversions for the SFU's clock: every "now" is a <see cref="TimeProvider.GetTimestamp"/> value, and components
/// are told the provider's <see cref="TimeProvider.TimestampFrequency"/> when they are built.
/// </summary>
internal static class MediaTime
{
    /// <summary>A duration in timestamp ticks of a clock running at <paramref name="frequency"/> Hz (truncated).</summary>
    public static long ToTicks(TimeSpan duration, long frequency) =>
        (long)((Int128)duration.Ticks * frequency / TimeSpan.TicksPerSecond);

    /// <summary>An interval of <paramref name="elapsedTicks"/> (at <paramref name="frequency"/> Hz) in units of an RTP clock rate (truncated).</summary>
    public static long ToRtpUnits(long elapsedTicks, int clockRate, long frequency) =>
        (long)((Int128)elapsedTicks * clockRate / frequency);

    /// <summary>An interval in timestamp ticks as a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan ToTimeSpan(long ticks, long frequency) =>
        TimeSpan.FromTicks((long)((Int128)ticks * TimeSpan.TicksPerSecond / frequency));
}
