namespace Starling.Sfu.Feedback;

/// <summary>Settings of a <see cref="TransportCcRecorder"/> (transport-cc feedback toward a publisher).</summary>
internal sealed class TransportCcRecorderOptions
{
    /// <summary>Shared default instance; do not mutate.</summary>
    public static readonly TransportCcRecorderOptions Default = new();

    /// <summary>How often the owner sends feedback (libwebrtc's receiver uses 50–250 ms). Default 50 ms.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Unreported sequence numbers after which <see cref="TransportCcRecorder.Record"/> asks for feedback at once
    /// (a probe burst or a high bitrate), instead of waiting for the next interval. Default 100.
    /// </summary>
    public int MaxPendingPackets { get; init; } = 100;

    /// <summary>
    /// Sequence numbers remembered (a power of two, preallocated): the reach of reordering and of late packets that
    /// are reported again. Default 4096 (about 4 s at 1,000 packets per second).
    /// </summary>
    public int Capacity { get; init; } = 4096;

    /// <summary>Largest feedback packet written (the owner's RTCP buffer). Default 1200 bytes.</summary>
    public int MaxPacketSize { get; init; } = 1200;
}
