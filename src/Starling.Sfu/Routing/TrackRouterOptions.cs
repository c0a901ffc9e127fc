using Starling.Sfu.Buffers;

namespace Starling.Sfu.Routing;

/// <summary>Settings of one <see cref="TrackRouter"/> (one published track).</summary>
internal sealed class TrackRouterOptions
{
    /// <summary>Per-layer receive settings (clock rate, history, NACK). Default: video.</summary>
    public ReceiveStreamOptions ReceiveStream { get; init; } = new();

    /// <summary>Keyframe detection for the codec; <c>null</c> (audio) means no packet is a keyframe.</summary>
    public KeyframeDetector? KeyframeDetector { get; init; }

    /// <summary>Simulcast layers accepted (spatial indices 0 .. MaxLayers − 1). Default 3 (LiveKit's q, h, f).</summary>
    public int MaxLayers { get; init; } = 3;

    /// <summary>Minimum time between keyframe requests sent to the publisher for one layer, whatever the number of subscribers. Default 500 ms.</summary>
    public TimeSpan KeyframeRequestInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
