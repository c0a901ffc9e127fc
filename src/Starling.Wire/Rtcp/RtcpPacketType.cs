namespace Starling.Wire.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611).</summary>
internal static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte ApplicationDefined = 204;

    /// <summary>Transport-layer feedback (RFC 4585 §6.2): generic NACK, transport-cc.</summary>
    public const byte TransportFeedback = 205;

    /// <summary>Payload-specific feedback (RFC 4585 §6.3): PLI, FIR, REMB.</summary>
    public const byte PayloadFeedback = 206;

    public const byte ExtendedReport = 207;
}
