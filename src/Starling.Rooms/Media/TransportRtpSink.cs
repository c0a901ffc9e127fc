using System.Buffers.Binary;
using System.Text;
using Starling.Sfu.Congestion;
using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Media;

/// <summary>
/// A down-track's way out: the subscriber's transport. On the way, every packet is stamped with the header extensions
/// that describe our sending rather than the publisher's (each only when the subscriber negotiated it for the section,
/// with the subscriber's id): the transport-wide sequence number of <see cref="SendSideBandwidthEstimator"/> (so the
/// subscriber's transport-cc feedback can be matched to our sends), abs-send-time (our send time, for receivers that
/// estimate bandwidth themselves and send REMB) and the mid of the section (RFC 8843 §15). An element the down-track
/// mapped from the publisher is overwritten in place; otherwise one is inserted.
/// </summary>
internal sealed class TransportRtpSink : IRtpSink
{
    /// <summary>Trailer bytes kept free for SRTP (auth tag, MKI) and an RTX header when stamping grows the packet.</summary>
    private const int ReservedTrailer = 24;

    private readonly IRtcTransport _transport;
    private readonly SendSideBandwidthEstimator? _estimator;
    private readonly TimeProvider _time;
    private readonly byte _transportCcId;
    private readonly byte _absSendTimeId;
    private readonly byte _midId;
    private readonly byte[] _mid;

    public TransportRtpSink(IRtcTransport transport, TimeProvider time, SendSideBandwidthEstimator? estimator = null, IEnumerable<SdpExtmap>? extensions = null, string? mid = null)
    {
        _transport = transport;
        _time = time;
        var list = extensions as IReadOnlyCollection<SdpExtmap> ?? [.. extensions ?? []];
        _transportCcId = estimator is null ? (byte)0 : OneByteId(list, RtpExtensionUri.TransportWideCc);
        _estimator = _transportCcId != 0 ? estimator : null;
        _absSendTimeId = OneByteId(list, RtpExtensionUri.AbsSendTime);
        _mid = Encoding.ASCII.GetBytes(mid ?? string.Empty);
        _midId = _mid.Length is > 0 and <= 16 ? OneByteId(list, RtpExtensionUri.Mid) : (byte)0;
    }

    /// <summary>The subscriber's id for <paramref name="uri"/> when it fits the one-byte form (which every packet can take), else 0.</summary>
    public static byte OneByteId(IEnumerable<SdpExtmap> extensions, string uri) =>
        extensions.FirstOrDefault(e => e.Uri == uri) is { Id: >= 1 and <= 14 } ext ? (byte)ext.Id : (byte)0;

    public void Send(Span<byte> buffer, int length)
    {
        var room = buffer[..Math.Min(buffer.Length, length + IRtpSink.TrailerCapacity - ReservedTrailer)];
        if (_estimator is not null)
        {
            var sequence = _estimator.Register(length, _time.GetTimestamp());
            Span<byte> value = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(value, sequence);
            RtpRewriter.TrySetOrInsertExtension(room, ref length, _transportCcId, value);
        }

        if (_absSendTimeId != 0)
        {
            var microseconds = (long)((Int128)_time.GetTimestamp() * 1_000_000 / _time.TimestampFrequency);
            Span<byte> value = stackalloc byte[AbsSendTimeExtension.Size];
            AbsSendTimeExtension.FromMicroseconds(microseconds).TryWrite(value, out _);
            RtpRewriter.TrySetOrInsertExtension(room, ref length, _absSendTimeId, value);
        }

        if (_midId != 0)
        {
            RtpRewriter.TrySetOrInsertExtension(room, ref length, _midId, _mid);
        }

        _transport.SendRtp(buffer, length);
    }

    public void SendRtcp(ReadOnlySpan<byte> packet) => _transport.SendRtcp(packet);
}
