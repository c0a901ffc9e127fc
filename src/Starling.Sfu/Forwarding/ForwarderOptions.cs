namespace Starling.Sfu.Forwarding;

/// <summary>Settings of one <see cref="Forwarder"/> (one down-track).</summary>
internal sealed class ForwarderOptions
{
    /// <summary>Audio defaults: 48 kHz, no keyframes, no layers.</summary>
    public static readonly ForwarderOptions Audio = new() { ClockRate = 48_000, RequireKeyframe = false };

    /// <summary>Video defaults: 90 kHz, switch sources only at keyframes.</summary>
    public static readonly ForwarderOptions Video = new();

    /// <summary>RTP clock rate of the track's codec; turns wall-clock gaps into timestamp steps. Default 90000.</summary>
    public int ClockRate { get; init; } = 90_000;

    /// <summary>
    /// Forwarding may only start, switch layer or resume at a keyframe of the target layer (video). When false (audio),
    /// any packet of the target layer is a switch point. Default true.
    /// </summary>
    public bool RequireKeyframe { get; init; } = true;

    /// <summary>Minimum time between keyframe requests while waiting for one. Default 500 ms.</summary>
    public TimeSpan KeyframeRequestInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Drop padding-only packets without leaving a hole in the outgoing sequence. Default true.</summary>
    public bool DropPaddingOnly { get; init; } = true;

    /// <summary>
    /// Recent outgoing packets remembered (a power of two) to translate the subscriber's NACKs back to source packets and
    /// to recognise late duplicates. Default 1024.
    /// </summary>
    public int HistorySize { get; init; } = 1024;

    /// <summary>
    /// Sequence-offset changes (runs of dropped packets) remembered within the current source for placing late packets.
    /// Default 32.
    /// </summary>
    public int OffsetRanges { get; init; } = 32;

    /// <summary>Target layer until the allocator or the subscriber's settings say otherwise; -1 = none. Default 0.</summary>
    public int InitialTargetLayer { get; init; }
}
