using System.Text;
using Starling.Sfu.Congestion;
using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Media;

/// <summary>
/// A down-track's way out: the subscriber's transport, after the <see cref="SendStamper"/> has stamped what the
/// subscriber negotiated for the section (transport-wide sequence number, abs-send-time, mid).
/// </summary>
internal sealed class TransportRtpSink(IRtcTransport transport, SendStamper stamper) : IRtpSink
{
    public TransportRtpSink(IRtcTransport transport, TimeProvider time, SendSideBandwidthEstimator? estimator = null, IEnumerable<SdpExtmap>? extensions = null, string? mid = null)
        : this(transport, CreateStamper(time, estimator, [.. extensions ?? []], mid))
    {
    }

    /// <summary>The subscriber's id for <paramref name="uri"/> when it fits the one-byte form (which every packet can take), else 0.</summary>
    public static byte OneByteId(IEnumerable<SdpExtmap> extensions, string uri) =>
        extensions.FirstOrDefault(e => e.Uri == uri) is { Id: >= 1 and <= 14 } ext ? (byte)ext.Id : (byte)0;

    private static SendStamper CreateStamper(TimeProvider time, SendSideBandwidthEstimator? estimator, SdpExtmap[] extensions, string? mid) =>
        new(time, estimator,
            OneByteId(extensions, RtpExtensionUri.TransportWideCc),
            OneByteId(extensions, RtpExtensionUri.AbsSendTime),
            OneByteId(extensions, RtpExtensionUri.Mid),
            Encoding.ASCII.GetBytes(mid ?? string.Empty));

    public void Send(Span<byte> buffer, int length)
    {
        stamper.Stamp(buffer, ref length);
        transport.SendRtp(buffer, length);
    }

    public void SendRtcp(ReadOnlySpan<byte> packet) => transport.SendRtcp(packet);
}
