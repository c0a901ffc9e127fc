namespace Starling.Sfu.Buffers;

/// <summary>Settings of one <see cref="ReceiveStream"/>.</summary>
internal sealed class ReceiveStreamOptions
{
    /// <summary>RTP clock rate of the stream's codec (48000 for Opus, 90000 for video). Default 90000.</summary>
    public int ClockRate { get; init; } = 90_000;

    /// <summary>Retransmission history sizes. Default <see cref="PacketBufferOptions.Video"/>.</summary>
    public PacketBufferOptions PacketBuffer { get; init; } = PacketBufferOptions.Video;

    /// <summary>NACK timing toward the publisher; <c>null</c> when NACK was not negotiated. Default <see cref="NackTrackerOptions.Default"/>.</summary>
    public NackTrackerOptions? Nack { get; init; } = NackTrackerOptions.Default;
}
