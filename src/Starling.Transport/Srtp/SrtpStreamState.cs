namespace Starling.Transport.Srtp;

/// <summary>
/// Per-SSRC crypto state of one <see cref="SrtpContext"/>: the rollover counter and highest sequence number
/// (RFC 3711 §3.3.1), the SRTP and SRTCP replay windows and the next SRTCP index to send.
/// Mutable fields on purpose: the context updates them in place on the packet path.
/// </summary>
internal sealed class SrtpStreamState(uint ssrc)
{
    public uint Ssrc { get; } = ssrc;

    /// <summary>True once an RTP packet of this SSRC was protected or authenticated.</summary>
    public bool RtpStarted;

    /// <summary>ROC: how many times the 16-bit sequence number wrapped.</summary>
    public uint RolloverCounter;

    /// <summary>s_l: the highest sequence number seen within the current ROC.</summary>
    public ushort HighestSequence;

    public SrtpReplayWindow RtpReplay;

    public SrtpReplayWindow RtcpReplay;

    /// <summary>SRTCP index for the next protected RTCP packet (31 bits).</summary>
    public uint NextSrtcpIndex;
}
