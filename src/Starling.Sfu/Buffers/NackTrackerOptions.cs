namespace Starling.Sfu.Buffers;

/// <summary>Timing and limits of a <see cref="NackTracker"/> (receive side: which packets to ask the publisher for again).</summary>
internal sealed class NackTrackerOptions
{
    /// <summary>Shared default instance; do not mutate.</summary>
    public static readonly NackTrackerOptions Default = new();

    /// <summary>How long a hole must stay open before the first NACK, so plain reordering causes none. Default 10 ms.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Lower bound of the interval between NACKs of one packet (the interval is the RTT, clamped). Default 20 ms.</summary>
    public TimeSpan MinRetryInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Upper bound of the interval between NACKs of one packet. Default 400 ms.</summary>
    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>RTT assumed until <see cref="NackTracker.Rtt"/> is set from RTCP. Default 100 ms.</summary>
    public TimeSpan DefaultRtt { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>NACKs per packet before giving up on it. Default 3.</summary>
    public int MaxNacks { get; init; } = 3;

    /// <summary>A packet missing for longer than this is given up (too late to be useful). Default 1 s.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Missing packets tracked at once (preallocated). When a new hole would exceed it, the oldest entries are given
    /// up; a single hole larger than this is not tracked at all and <see cref="NackTracker.KeyframeNeeded"/> is set.
    /// Default 256.
    /// </summary>
    public int Capacity { get; init; } = 256;
}
