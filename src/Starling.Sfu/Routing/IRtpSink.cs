namespace Starling.Sfu.Routing;

/// <summary>
/// Where a down-track's RTP packets go: the subscriber's transport, which protects (SRTP) and sends them.
/// The SFU never sees transport types; this is the whole contract.
/// </summary>
/// <remarks>
/// <para>
/// The buffer is the caller's pooled scratch memory: the packet is <c>buffer[..length]</c> and at least
/// <see cref="TrailerCapacity"/> writable bytes follow it, so the sink can encrypt in place and append the SRTP tag
/// without copying. The sink may modify the buffer but must not keep it: the caller reuses it as soon as
/// <see cref="Send"/> returns.
/// </para>
/// <para>
/// Calls can be concurrent: forwarded packets come from each publisher's receive loop and retransmissions from the
/// subscriber's RTCP path, so a transport serving many down-tracks serializes its SRTP context itself.
/// </para>
/// </remarks>
internal interface IRtpSink
{
    /// <summary>Spare bytes guaranteed after the packet in the buffer passed to <see cref="Send"/> (SRTP tag, MKI).</summary>
    const int TrailerCapacity = 64;

    /// <summary>Sends the RTP packet in <c>buffer[..length]</c>.</summary>
    void Send(Span<byte> buffer, int length);

    /// <summary>Sends an RTCP packet about the down-track (its sender reports); sinks without RTCP ignore it.</summary>
    void SendRtcp(ReadOnlySpan<byte> packet)
    {
    }
}
