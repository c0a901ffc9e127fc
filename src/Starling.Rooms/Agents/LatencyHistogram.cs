namespace Starling.Rooms.Agents;

/// <summary>A thread-safe cumulative histogram of durations in seconds, with fixed Prometheus-style upper bounds.</summary>
internal sealed class LatencyHistogram
{
    private readonly long[] _counts;
    private long _count;
    private long _sumMicros;

    public LatencyHistogram(IReadOnlyList<double> bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        Bounds = bounds;
        _counts = new long[bounds.Count];
    }

    /// <summary>Upper bounds in seconds, ascending (the +Inf bucket is implied).</summary>
    public IReadOnlyList<double> Bounds { get; }

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => Interlocked.Read(ref _sumMicros) / 1e6;

    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        for (var i = 0; i < Bounds.Count; i++)
        {
            if (seconds <= Bounds[i])
            {
                Interlocked.Increment(ref _counts[i]);
            }
        }

        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, (long)(duration.Ticks / 10));
    }

    /// <summary>Observations at or below <see cref="Bounds"/>[<paramref name="index"/>] (cumulative).</summary>
    public long CumulativeCount(int index) => Interlocked.Read(ref _counts[index]);
}
