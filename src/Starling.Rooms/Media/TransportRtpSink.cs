using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;

namespace Starling.Rooms.Media;

/// <summary>A down-track's way out: the subscriber's peer connection (SRTP-protects in place and sends).</summary>
internal sealed class TransportRtpSink(IRtcTransport transport) : IRtpSink
{
    public void Send(Span<byte> buffer, int length) => transport.SendRtp(buffer, length);

    public void SendRtcp(ReadOnlySpan<byte> packet) => transport.SendRtcp(packet);
}
