namespace Starling.Wire.Rtcp;

/// <summary>The FMT field of RTCP feedback messages (RFC 4585 §6.1), by packet type.</summary>
internal static class RtcpFeedbackFormat
{
    /// <summary>RTPFB: generic NACK (RFC 4585 §6.2.1).</summary>
    public const byte Nack = 1;

    /// <summary>RTPFB: transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).</summary>
    public const byte TransportCc = 15;

    /// <summary>PSFB: picture loss indication (RFC 4585 §6.3.1).</summary>
    public const byte Pli = 1;

    /// <summary>PSFB: full intra request (RFC 5104 §4.3.1).</summary>
    public const byte Fir = 4;

    /// <summary>PSFB: application layer feedback, e.g. REMB (RFC 4585 §6.4, draft-alvestrand-rmcat-remb-03).</summary>
    public const byte ApplicationLayer = 15;
}
