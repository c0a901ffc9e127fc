namespace Starling.Transport.Sctp;

/// <summary>
/// SCTP Payload Protocol Identifiers used by WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1).
/// </summary>
internal static class DataChannelPpid
{
    /// <summary>DCEP control messages (DATA_CHANNEL_OPEN / DATA_CHANNEL_ACK).</summary>
    public const uint Dcep = 50;

    public const uint String = 51;

    /// <summary>Deprecated "WebRTC String Partial"; accepted as <see cref="String"/>.</summary>
    public const uint StringPartial = 52;

    public const uint Binary = 53;

    /// <summary>Deprecated "WebRTC Binary Partial"; accepted as <see cref="Binary"/>.</summary>
    public const uint BinaryPartial = 54;

    /// <summary>An empty string, sent as one (ignored) byte since SCTP cannot carry empty messages.</summary>
    public const uint StringEmpty = 56;

    /// <summary>An empty binary message, sent as one (ignored) byte.</summary>
    public const uint BinaryEmpty = 57;
}
