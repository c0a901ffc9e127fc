using System.Buffers.Binary;
using Starling.Sfu.Congestion;
using Starling.Wire.Rtp;

namespace Starling.Sfu.Routing;

/// <summary>
/// Stamps the header extensions that describe our sending rather than the publisher's on a packet about to leave
/// for a subscriber, each only when that subscriber negotiated it (a non-zero id, within the one-byte form): the
/// transport-wide sequence number of <see cref="SendSideBandwidthEstimator"/> (so the subscriber's transport-cc
/// feedback can be matched to our sends), abs-send-time (our send time, for receivers that estimate bandwidth
/// themselves and send REMB) and the mid of the section (RFC 8843 §15). An element already there with the same id and
/// length is overwritten in place; otherwise one is inserted. Allocation-free.
/// </summary>
internal sealed class SendStamper
{
    /// <summary>Trailer bytes kept free for SRTP (auth tag, MKI) and an RTX header when stamping grows the packet.</summary>
    private const int ReservedTrailer = 24;

    private readonly SendSideBandwidthEstimator? _estimator;
    private readonly TimeProvider _time;
    private readonly byte _transportCcId;
    private readonly byte _absSendTimeId;
    private readonly byte _midId;
    private readonly byte[] _mid;

    public SendStamper(TimeProvider time, SendSideBandwidthEstimator? estimator, byte transportCcId, byte absSendTimeId, byte midId, ReadOnlySpan<byte> mid)
    {
        _time = time;
        _transportCcId = estimator is null || transportCcId > 14 ? (byte)0 : transportCcId;
        _estimator = _transportCcId != 0 ? estimator : null;
        _absSendTimeId = absSendTimeId <= 14 ? absSendTimeId : (byte)0;
        _mid = mid.ToArray();
        _midId = _mid.Length is > 0 and <= 16 && midId <= 14 ? midId : (byte)0;
    }

    /// <summary>Whether packets get our transport-wide sequence numbers (the subscriber does transport-cc).</summary>
    public bool StampsTransportSequence => _estimator is not null;

    /// <summary>
    /// Stamps the packet <c>buffer[..length]</c> (with at least <see cref="IRtpSink.TrailerCapacity"/> bytes after it),
    /// growing <paramref name="length"/> by what was inserted.
    /// </summary>
    public void Stamp(Span<byte> buffer, ref int length)
    {
        var room = buffer[..Math.Min(buffer.Length, length + IRtpSink.TrailerCapacity - ReservedTrailer)];
        var now = _estimator is not null || _absSendTimeId != 0 ? _time.GetTimestamp() : 0;
        if (_estimator is not null)
        {
            var sequence = _estimator.Register(length, now);
            Span<byte> value = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(value, sequence);
            RtpRewriter.TrySetOrInsertExtension(room, ref length, _transportCcId, value);
        }

        if (_absSendTimeId != 0)
        {
            var frequency = _time.TimestampFrequency; // long arithmetic: Int128 division costs more than the rest of the stamp
            var microseconds = ((now / frequency) * 1_000_000) + ((now % frequency) * 1_000_000 / frequency);
            Span<byte> value = stackalloc byte[AbsSendTimeExtension.Size];
            AbsSendTimeExtension.FromMicroseconds(microseconds).TryWrite(value, out _);
            RtpRewriter.TrySetOrInsertExtension(room, ref length, _absSendTimeId, value);
        }

        if (_midId != 0)
        {
            RtpRewriter.TrySetOrInsertExtension(room, ref length, _midId, _mid);
        }
    }
}
