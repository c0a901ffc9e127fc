using Starling.Sfu.Feedback;

namespace Starling.Rooms.Media;

/// <summary>Timing of the RTCP a <see cref="PublisherRtcp"/> sends a publisher.</summary>
internal sealed class PublisherRtcpOptions
{
    /// <summary>Shared default instance; do not mutate.</summary>
    public static readonly PublisherRtcpOptions Default = new();

    /// <summary>Period of the one timer that drives everything below; NACKs are checked on every tick. Default 25 ms.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Transport-cc feedback settings; its <see cref="TransportCcRecorderOptions.Interval"/> (default 50 ms) paces the feedback.</summary>
    public TransportCcRecorderOptions TransportCc { get; init; } = TransportCcRecorderOptions.Default;

    /// <summary>Interval between receiver reports (RFC 3550 §6.2 allows much less for a receiver this busy). Default 1 s.</summary>
    public TimeSpan ReceiverReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>NACK packets written per layer and tick at most (each carries up to 64 sequence numbers). Default 4.</summary>
    public int MaxNacksPerLayer { get; init; } = 4;
}
