using System.Buffers;
using Starling.Sfu.Buffers;
using Starling.Sfu.Forwarding;
using Starling.Wire.Rtcp;
using Starling.Wire.Diagnostics;
using Starling.Wire.Rtp;

namespace Starling.Sfu.Routing;

/// <summary>
/// The media path of one published track (LiveKit's receiver): one <see cref="ReceiveStream"/> per simulcast layer,
/// and the fan-out to its <see cref="DownTrack"/>s.
/// </summary>
/// <remarks>
/// <para>
/// Packet path (<see cref="WriteRtp"/>, on the publisher's receive loop): parse the decrypted packet, record it in the
/// layer's receive stream (history, holes, stats; duplicates stop here), detect keyframes, then for every down-track in
/// the current snapshot let its forwarder decide, copy and rewrite into one pooled scratch buffer and hand it to the
/// down-track's sink. The scratch buffer is rented from <see cref="ArrayPool{T}.Shared"/> once per packet and reused
/// by each down-track in turn (a sink must not keep it); nothing is allocated per packet.
/// </para>
/// <para>
/// Down-tracks live in an immutable array replaced on add/remove (copy-on-write under a lock); the packet path reads
/// the current array once per packet and never locks it.
/// </para>
/// <para>
/// Layers and SSRCs: the caller says which layer a packet belongs to (it maps rid/SSRC from signalling). A new SSRC on
/// a layer restarts that layer's receive stream; packets of the SSRC it replaced are dropped from then on. RTX
/// streams are not passed here (unwrapping RTX is future work).
/// </para>
/// <para>
/// Threads: <see cref="WriteRtp"/> and <see cref="PollKeyframeRequests"/> run on the publisher's receive loop;
/// <see cref="AddDownTrack"/>/<see cref="RemoveDownTrack"/> on the room's loop; <see cref="TryCopyPacket"/> (NACKs) on
/// subscribers' RTCP paths.
/// </para>
/// </remarks>
internal sealed class TrackRouter : IDisposable
{
    private readonly Lock _downTracksGate = new();
    private readonly TrackRouterOptions _options;
    private readonly IPublisherFeedback? _feedback;
    private readonly long _frequency;
    private readonly long _keyframeInterval;
    private readonly ReceiveStream?[] _streams;
    private readonly uint[] _retiredSsrcs;
    private readonly bool[] _hasRetired;
    private readonly long[] _nextKeyframeRequestAt;
    private DownTrack[] _downTracks = [];
    private bool _disposed;

    public TrackRouter(TrackRouterOptions options, long timestampFrequency, IPublisherFeedback? feedback = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLayers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxLayers, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        _options = options;
        _feedback = feedback;
        _frequency = timestampFrequency;
        _keyframeInterval = MediaTime.ToTicks(options.KeyframeRequestInterval, timestampFrequency);
        _streams = new ReceiveStream?[options.MaxLayers];
        _retiredSsrcs = new uint[options.MaxLayers];
        _hasRetired = new bool[options.MaxLayers];
        _nextKeyframeRequestAt = new long[options.MaxLayers];
        Array.Fill(_nextKeyframeRequestAt, long.MinValue);
    }

    /// <summary>Simulcast layers this router accepts (<see cref="TrackRouterOptions.MaxLayers"/>).</summary>
    public int LayerCount => _streams.Length;

    /// <summary>Largest packet accepted (the history's limit).</summary>
    public int MaxPacketSize => _options.ReceiveStream.PacketBuffer.MaxPacketSize;

    /// <summary>The current down-track snapshot.</summary>
    public IReadOnlyList<DownTrack> DownTracks => Volatile.Read(ref _downTracks);

    /// <summary>Packets that did not parse as RTP, were too large, or named a layer out of range.</summary>
    public long PacketsRejected { get; private set; }

    /// <summary>Packets not forwarded because they were duplicates, too old, or from a replaced SSRC.</summary>
    public long PacketsNotForwarded { get; private set; }

    /// <summary>The receive stream of <paramref name="layer"/>, once a packet of it arrived.</summary>
    public ReceiveStream? GetStream(int layer) => layer >= 0 && layer < _streams.Length ? Volatile.Read(ref _streams[layer]) : null;

    /// <summary>Adds a subscriber's down-track.</summary>
    public DownTrack AddDownTrack(DownTrackOptions options, IRtpSink sink)
    {
        var downTrack = new DownTrack(this, options, sink, _frequency);
        lock (_downTracksGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _downTracks;
            var next = new DownTrack[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = downTrack;
            Volatile.Write(ref _downTracks, next);
        }

        return downTrack;
    }

    /// <summary>Removes a down-track; packets already being fanned out may still reach it once.</summary>
    public bool RemoveDownTrack(DownTrack downTrack)
    {
        lock (_downTracksGate)
        {
            var current = _downTracks;
            var index = Array.IndexOf(current, downTrack);
            if (index < 0)
            {
                return false;
            }

            var next = new DownTrack[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Volatile.Write(ref _downTracks, next);
            return true;
        }
    }

    /// <summary>
    /// The packet path: one decrypted RTP packet of simulcast <paramref name="layer"/> received at
    /// <paramref name="now"/> (a <see cref="TimeProvider"/> timestamp). Returns how many down-tracks sent it.
    /// </summary>
    public int WriteRtp(ReadOnlySpan<byte> packet, int layer, long now)
    {
        if (_disposed || layer < 0 || layer >= _streams.Length || packet.Length > MaxPacketSize
            || !RtpPacket.TryRead(packet, out var view, out _))
        {
            PacketsRejected++;
            return 0;
        }

        var stream = GetOrRestartStream(layer, view.Ssrc);
        if (stream is null)
        {
            PacketsNotForwarded++;
            return 0;
        }

        var payload = view.Payload;
        var result = stream.Receive(packet, view.SequenceNumber, view.Timestamp, payload.Length, now, out var sequence, out var timestamp);
        if (result != ReceiveResult.New)
        {
            PacketsNotForwarded++;
            return 0;
        }

        var keyframeLayers = 0;
        if (stream.TakeKeyframeNeeded())
        {
            keyframeLayers |= 1 << layer;
        }

        var downTracks = Volatile.Read(ref _downTracks);
        var sent = 0;
        if (downTracks.Length > 0)
        {
            var info = new IncomingPacketInfo
            {
                Ssrc = view.Ssrc,
                Layer = layer,
                ExtendedSequence = sequence,
                ExtendedTimestamp = timestamp,
                Marker = view.Marker,
                IsKeyframe = payload.Length > 0 && _options.KeyframeDetector is { } detector && detector(payload),
                PayloadLength = payload.Length,
            };

            var scratch = ArrayPool<byte>.Shared.Rent(packet.Length + IRtpSink.TrailerCapacity);
            try
            {
                foreach (var downTrack in downTracks)
                {
                    if (downTrack.Forward(packet, info, now, scratch, ref keyframeLayers))
                    {
                        sent++;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            MediaCounters.RtpForwarded.Add(sent);
        }

        if (keyframeLayers != 0)
        {
            RequestKeyframes(keyframeLayers, now);
        }

        return sent;
    }

    /// <summary>
    /// Timer hook: forwards keyframe requests that down-tracks still need at <paramref name="now"/> while no packets of
    /// the target layer flow (e.g. a paused publisher layer), and those the receive streams flagged.
    /// </summary>
    public void PollKeyframeRequests(long now)
    {
        var layers = 0;
        foreach (var downTrack in Volatile.Read(ref _downTracks))
        {
            if (downTrack.TryGetKeyframeRequest(now, out var layer) && layer is >= 0 and < 31)
            {
                layers |= 1 << layer;
            }
        }

        for (var layer = 0; layer < _streams.Length; layer++)
        {
            if (GetStream(layer) is { } stream && stream.TakeKeyframeNeeded())
            {
                layers |= 1 << layer;
            }
        }

        if (layers != 0)
        {
            RequestKeyframes(layers, now);
        }
    }

    /// <summary>
    /// Writes the RTCP NACK (RFC 4585 §6.2.1) the publisher should get now for <paramref name="layer"/>'s holes, as
    /// decided by its <see cref="NackTracker"/> (at most 64 sequence numbers per call). False when nothing is due.
    /// </summary>
    public bool TryWriteNack(int layer, long now, uint senderSsrc, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (GetStream(layer) is not { } stream)
        {
            return false;
        }

        Span<long> due = stackalloc long[64];
        var count = stream.GetNacks(now, due);
        if (count == 0)
        {
            return false;
        }

        Span<ushort> sequences = stackalloc ushort[64];
        for (var i = 0; i < count; i++)
        {
            sequences[i] = (ushort)due[i];
        }

        return RtcpNack.TryWrite(destination, senderSsrc, stream.Ssrc, sequences[..count], out bytesWritten);
    }

    /// <summary>
    /// Copies a packet from a layer's history for retransmission, if that layer still carries
    /// <paramref name="ssrc"/> and the packet is held.
    /// </summary>
    public bool TryCopyPacket(int layer, uint ssrc, long extendedSequence, Span<byte> destination, out int length)
    {
        length = 0;
        return GetStream(layer) is { } stream && stream.Ssrc == ssrc && stream.TryCopyPacket(extendedSequence, destination, out length);
    }

    public void Dispose()
    {
        lock (_downTracksGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Volatile.Write(ref _downTracks, []);
        }

        foreach (var stream in _streams)
        {
            stream?.Dispose();
        }
    }

    private ReceiveStream? GetOrRestartStream(int layer, uint ssrc)
    {
        var stream = _streams[layer];
        if (stream is null)
        {
            stream = new ReceiveStream(ssrc, layer, _options.ReceiveStream, _frequency);
            Volatile.Write(ref _streams[layer], stream);
            return stream;
        }

        if (stream.Ssrc == ssrc)
        {
            return stream;
        }

        if (_hasRetired[layer] && _retiredSsrcs[layer] == ssrc)
        {
            return null;
        }

        _retiredSsrcs[layer] = stream.Ssrc;
        _hasRetired[layer] = true;
        stream.Restart(ssrc);
        return stream;
    }

    private void RequestKeyframes(int layers, long now)
    {
        for (var layer = 0; layer < _streams.Length; layer++)
        {
            if ((layers & (1 << layer)) == 0 || GetStream(layer) is not { } stream)
            {
                continue;
            }

            if (_nextKeyframeRequestAt[layer] != long.MinValue && now < _nextKeyframeRequestAt[layer])
            {
                continue;
            }

            _nextKeyframeRequestAt[layer] = now + _keyframeInterval;
            _feedback?.RequestKeyframe(stream.Ssrc, layer);
        }
    }
}
