namespace Starling.Sfu.Forwarding;

/// <summary>
/// Where a packet the down-track sent came from, for answering the subscriber's NACK: fetch
/// <see cref="SourceSequence"/> from the receive stream of <see cref="Layer"/> (if it still has SSRC
/// <see cref="SourceSsrc"/>) and resend it with <see cref="Sequence"/> and <see cref="Timestamp"/>.
/// </summary>
internal readonly record struct ForwardedPacket(int Layer, uint SourceSsrc, long SourceSequence, ushort Sequence, uint Timestamp);
