using Starling.Wire.Diagnostics;
using System.Buffers;
using Starling.Sfu.Feedback;
using Starling.Sfu.Forwarding;
using Starling.Wire.Rtcp;
using Starling.Wire.Rtp;

namespace Starling.Sfu.Routing;

/// <summary>
/// One subscriber's view of one published track: a <see cref="Forwarder"/> deciding per packet, the header rewrite
/// (sequence number, timestamp, SSRC, payload type, extension ids) and the subscriber's <see cref="IRtpSink"/>.
/// Also answers the subscriber's NACKs from the publisher's history: as RTX (RFC 4588, own SSRC, payload type and
/// sequence numbers) when the subscriber negotiated it, else on the media SSRC; and measures the round-trip time from
/// the subscriber's report blocks about the sender reports it forwarded (<see cref="SenderReportHistory"/>).
/// </summary>
/// <remarks>
/// Created and owned by a <see cref="TrackRouter"/>. The forwarder state is guarded by one short lock, taken per
/// packet for the decision only (never across <see cref="IRtpSink.Send"/>), by control calls (layer, pause, mute)
/// from the room, and by NACK handling from the subscriber's RTCP path.
/// </remarks>
internal sealed class DownTrack
{
    private readonly Lock _gate = new();
    private readonly TrackRouter _router;
    private readonly Forwarder _forwarder;
    private readonly IRtpSink _sink;
    private readonly byte[]? _extensionIdMap;
    private readonly byte _sourceRedPayloadType;
    private readonly byte _redPayloadType;
    private readonly uint _rtxSsrc;
    private readonly byte _rtxPayloadType;
    private readonly SenderReportHistory _senderReports;
    private int _rtxSequence;
    private long _packetsSent;
    private long _bytesSent;
    private long _retransmitted;
    private long _nackMisses;

    internal DownTrack(TrackRouter router, DownTrackOptions options, IRtpSink sink, long timestampFrequency)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PayloadType, (byte)127);
        _router = router;
        _sink = sink;
        Ssrc = options.Ssrc;
        PayloadType = options.PayloadType;
        _extensionIdMap = (byte[]?)options.ExtensionIdMap?.Clone();
        _sourceRedPayloadType = options.SourceRedPayloadType;
        _redPayloadType = options.RedPayloadType;
        if (options.RtxSsrc != 0 && options.RtxPayloadType is > 0 and <= 127)
        {
            _rtxSsrc = options.RtxSsrc;
            _rtxPayloadType = options.RtxPayloadType;
        }

        _rtxSequence = Random.Shared.Next(0, 0x10000); // RFC 3550 §5.1: a random initial sequence number
        _senderReports = new SenderReportHistory(timestampFrequency);
        _forwarder = new Forwarder(options.Forwarder, timestampFrequency);
    }

    /// <summary>The outgoing SSRC.</summary>
    public uint Ssrc { get; }

    /// <summary>The outgoing payload type.</summary>
    public byte PayloadType { get; }

    /// <summary>The RTX SSRC retransmissions go out on; 0 when the subscriber negotiated no RTX (plain resends).</summary>
    public uint RtxSsrc => _rtxSsrc;

    /// <summary>The subscriber's RTX payload type for the codec; 0 without RTX.</summary>
    public byte RtxPayloadType => _rtxPayloadType;

    /// <summary>Target simulcast layer (allocator / <c>UpdateTrackSettings</c>); -1 = none.</summary>
    public int TargetLayer
    {
        get
        {
            lock (_gate)
            {
                return _forwarder.TargetLayer;
            }
        }

        set
        {
            lock (_gate)
            {
                _forwarder.TargetLayer = value;
            }
        }
    }

    /// <summary>The layer being forwarded; -1 when none.</summary>
    public int CurrentLayer
    {
        get
        {
            lock (_gate)
            {
                return _forwarder.CurrentLayer;
            }
        }
    }

    /// <summary>Subscriber disabled the track (<c>UpdateTrackSettings.disabled</c>).</summary>
    public bool Paused
    {
        get
        {
            lock (_gate)
            {
                return _forwarder.Paused;
            }
        }

        set
        {
            lock (_gate)
            {
                _forwarder.Paused = value;
            }
        }
    }

    /// <summary>Publisher muted the track.</summary>
    public bool Muted
    {
        get
        {
            lock (_gate)
            {
                return _forwarder.Muted;
            }
        }

        set
        {
            lock (_gate)
            {
                _forwarder.Muted = value;
            }
        }
    }

    /// <summary>Outgoing extended sequence number of the newest packet sent (undefined before the first).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _forwarder.LastSequence;
            }
        }
    }

    /// <summary>Packets handed to the sink (first transmissions).</summary>
    public long PacketsSent => Volatile.Read(ref _packetsSent);

    /// <summary>Bytes handed to the sink (first transmissions, before SRTP).</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Packets resent in answer to NACKs (on the RTX SSRC when negotiated).</summary>
    public long PacketsRetransmitted => Volatile.Read(ref _retransmitted);

    /// <summary>NACKed sequence numbers that could not be answered (unknown mapping or gone from the history).</summary>
    public long NackMisses => Volatile.Read(ref _nackMisses);

    /// <summary>Packets the forwarder dropped.</summary>
    public long PacketsDropped
    {
        get
        {
            lock (_gate)
            {
                return _forwarder.DroppedPackets;
            }
        }
    }

    /// <summary>
    /// A keyframe request due at <paramref name="now"/> (for a timer while no packets arrive); throttled like the
    /// packet path.
    /// </summary>
    public bool TryGetKeyframeRequest(long now, out int layer)
    {
        lock (_gate)
        {
            return _forwarder.TryGetKeyframeRequest(now, out layer);
        }
    }

    /// <summary>
    /// Forwards the publisher's sender report for <paramref name="sourceSsrc"/> (RFC 3550 §6.4.1) to the subscriber when
    /// that stream is the one being forwarded: same NTP time, the RTP timestamp mapped onto this down-track's timeline
    /// (so the subscriber can line audio and video up as the publisher captured them), our packet and octet counts.
    /// The report's compact NTP time and <paramref name="now"/> are remembered for <see cref="TryGetRtt"/>.
    /// </summary>
    public bool ForwardSenderReport(uint sourceSsrc, ulong ntpTimestamp, uint sourceRtpTimestamp, long now)
    {
        uint timestamp;
        lock (_gate)
        {
            if (!_forwarder.TryTranslateTimestamp(sourceSsrc, sourceRtpTimestamp, out timestamp))
            {
                return false;
            }
        }

        // retransmissions on the media SSRC count as its packets; RTX ones belong to the RTX stream
        var packets = PacketsSent + (_rtxSsrc == 0 ? PacketsRetransmitted : 0);
        Span<byte> report = stackalloc byte[RtcpSenderReport.GetSize(0)];
        if (!RtcpSenderReport.TryWrite(report, Ssrc, ntpTimestamp, timestamp, (uint)packets, (uint)BytesSent, [], out var written))
        {
            return false;
        }

        _senderReports.Record(ntpTimestamp, now);
        _sink.SendRtcp(report[..written]);
        return true;
    }

    /// <summary>
    /// The round-trip time to the subscriber from its report block about this down-track, received at
    /// <paramref name="now"/>: false when the block is about another SSRC or names no sender report we sent.
    /// </summary>
    public bool TryGetRtt(in RtcpReportBlock block, long now, out TimeSpan rtt)
    {
        rtt = TimeSpan.Zero;
        return block.Ssrc == Ssrc && _senderReports.TryGetRtt(block.LastSenderReport, block.DelaySinceLastSenderReport, now, out rtt);
    }

    /// <summary>
    /// Answers one RTCP generic NACK (RFC 4585 §6.2.1) from the subscriber: false when it is not a NACK for this
    /// down-track's SSRC. <paramref name="resent"/> counts the packets sent again (at most 256 per NACK).
    /// </summary>
    public bool HandleRtcpNack(ReadOnlySpan<byte> rtcpPacket, out int resent)
    {
        resent = 0;
        if (!RtcpNack.TryRead(rtcpPacket, out var nack, out _) || nack.MediaSsrc != Ssrc)
        {
            return false;
        }

        Span<ushort> sequences = stackalloc ushort[256];
        var count = 0;
        foreach (var sequence in nack.GetLostSequenceNumbers())
        {
            if (count == sequences.Length)
            {
                break;
            }

            sequences[count++] = sequence;
        }

        resent = HandleNack(sequences[..count]);
        return true;
    }

    /// <summary>
    /// Resends the packets the subscriber NACKed (outgoing sequence numbers), fetched from the publisher's history and
    /// rewritten with the numbers they were first sent with, then wrapped as RTX (RFC 4588 §4: the RTX stream's own
    /// sequence number, the original one as the first two payload bytes) when the subscriber negotiated RTX.
    /// Returns how many were resent.
    /// </summary>
    public int HandleNack(ReadOnlySpan<ushort> sequences)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_router.MaxPacketSize + RtpRtx.OsnSize + IRtpSink.TrailerCapacity);
        try
        {
            var sent = 0;
            foreach (var sequence in sequences)
            {
                ForwardedPacket original;
                bool found;
                lock (_gate)
                {
                    found = _forwarder.TryGetForwarded(sequence, out original);
                }

                if (!found || !_router.TryCopyPacket(original.Layer, original.SourceSsrc, original.SourceSequence, buffer, out var length))
                {
                    Interlocked.Increment(ref _nackMisses);
                    MediaCounters.NackMisses.Increment();
                    continue;
                }

                var packet = buffer.AsSpan(0, length);
                var rewritten = Rewrite(packet, original.Sequence, original.Timestamp);
                if (rewritten >= 0 && _rtxSsrc != 0)
                {
                    var rtxSequence = (ushort)Interlocked.Increment(ref _rtxSequence);
                    var room = buffer.AsSpan(0, buffer.Length - IRtpSink.TrailerCapacity);
                    rewritten = RtpRtx.TryWrapInPlace(room, rewritten, _rtxPayloadType, rtxSequence, _rtxSsrc, out var wrapped) ? wrapped : -1;
                }

                if (rewritten < 0)
                {
                    Interlocked.Increment(ref _nackMisses);
                    MediaCounters.NackMisses.Increment();
                    continue;
                }

                _sink.Send(buffer, rewritten);
                MediaCounters.RtpRetransmitted.Increment();
                Interlocked.Increment(ref _retransmitted);
                sent++;
            }

            return sent;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The packet path: decides, copies <paramref name="packet"/> into <paramref name="scratch"/> (which has
    /// <see cref="IRtpSink.TrailerCapacity"/> spare bytes), rewrites it and sends it. Adds the layer of a due keyframe
    /// request to <paramref name="keyframeLayers"/> (a bit mask). True when the packet was sent.
    /// </summary>
    internal bool Forward(ReadOnlySpan<byte> packet, in IncomingPacketInfo info, long now, byte[] scratch, ref int keyframeLayers)
    {
        TranslationParams translation;
        lock (_gate)
        {
            translation = _forwarder.GetTranslationParams(info, now);
        }

        if (translation.RequestKeyframe && translation.KeyframeLayer is >= 0 and < 31)
        {
            keyframeLayers |= 1 << translation.KeyframeLayer;
        }

        if (translation.Drop)
        {
            return false;
        }

        var copy = scratch.AsSpan(0, packet.Length);
        packet.CopyTo(copy);
        var length = Rewrite(copy, translation.Sequence, translation.Timestamp);
        if (length < 0)
        {
            return false;
        }

        RtpRewriter.SetMarker(copy, translation.Marker);
        _sink.Send(scratch, length);
        Volatile.Write(ref _packetsSent, _packetsSent + 1);
        Volatile.Write(ref _bytesSent, _bytesSent + length);
        return true;
    }

    /// <summary>
    /// Rewrites a copy of a publisher packet for this subscriber in place: sequence number, timestamp, SSRC, payload
    /// type (RED kept as the subscriber's RED type, or reduced to its primary block when the subscriber has no RED)
    /// and extension ids. Returns the new length (it shrinks when RED is removed), or -1 when the packet is unusable.
    /// </summary>
    private int Rewrite(Span<byte> packet, ushort sequence, uint timestamp)
    {
        var length = packet.Length;
        var payloadType = PayloadType;
        if (_sourceRedPayloadType != 0 && (packet[1] & 0x7F) == _sourceRedPayloadType)
        {
            if (_redPayloadType != 0)
            {
                payloadType = _redPayloadType;
            }
            else
            {
                length = ReduceRedToPrimary(packet);
                if (length < 0)
                {
                    return -1;
                }
            }
        }

        packet = packet[..length];
        RtpRewriter.SetSequenceNumber(packet, sequence);
        RtpRewriter.SetTimestamp(packet, timestamp);
        RtpRewriter.SetSsrc(packet, Ssrc);
        RtpRewriter.SetPayloadType(packet, payloadType);
        return _extensionIdMap is null || RtpRewriter.TryMapExtensionIds(packet, _extensionIdMap) ? length : -1;
    }

    // moves the primary block of a RED payload to the start of the payload; padding is dropped
    private static int ReduceRedToPrimary(Span<byte> packet)
    {
        if (!RtpPacket.TryRead(packet, out var view, out _)
            || !RedPayload.TryGetPrimary(view.Payload, out var offset, out var length, out _))
        {
            return -1;
        }

        var header = view.HeaderLength;
        packet.Slice(header + offset, length).CopyTo(packet[header..]);
        packet[0] &= 0xDF;
        return header + length;
    }
}
