using Starling.Wire.Diagnostics;
using System.Collections.Concurrent;
using Starling.Proto;
using Starling.Sfu.Buffers;
using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtcp;

namespace Starling.Rooms.Media;

/// <summary>
/// One published audio or video track: its <see cref="TrackInfo"/>, the publisher-side negotiation facts (mid,
/// payload type, clock rate) and the SFU <see cref="TrackRouter"/> its RTP goes through to every subscriber.
/// Keyframe requests from the router go back to the publisher as RTCP PLI; NACKs and receiver reports for its streams
/// are sent by the session's <see cref="PublisherRtcp"/>.
/// </summary>
internal sealed class PublishedTrack : IPublisherFeedback, IDisposable
{
    private readonly IRtcTransport _publisher;
    private readonly ConcurrentDictionary<string, int> _wanted = new(StringComparer.Ordinal);
    private bool _muted;
    private int _sentMaxLayer = LayerSelection.MaxLayers - 1; // publishers start with every layer on
    private long _lowerSince;

    /// <param name="owner">The publishing participant.</param>
    /// <param name="info">The track as announced (mid and mime type already set).</param>
    /// <param name="mid">The publisher's send section.</param>
    /// <param name="mimeType">e.g. <c>video/VP8</c>.</param>
    /// <param name="payloadType">The publisher's payload type for the codec.</param>
    /// <param name="clockRate">The codec's RTP clock rate.</param>
    /// <param name="publisher">The transport PLIs go out on.</param>
    /// <param name="nack">Whether the publisher negotiated generic NACK for the codec (then holes are NACKed).</param>
    /// <param name="timestampFrequency">Frequency of the <see cref="TimeProvider"/> timestamps passed to the router.</param>
    public PublishedTrack(Participant owner, TrackInfo info, string mid, string mimeType, byte payloadType, uint clockRate, IRtcTransport publisher, bool nack, long timestampFrequency)
    {
        Owner = owner;
        Info = info;
        Mid = mid;
        MimeType = mimeType;
        PayloadType = payloadType;
        ClockRate = clockRate;
        _publisher = publisher;
        _muted = info.Muted;
        var audio = info.Type == TrackType.Audio;
        Router = new TrackRouter(
            new TrackRouterOptions
            {
                ReceiveStream = new ReceiveStreamOptions
                {
                    ClockRate = (int)clockRate,
                    PacketBuffer = audio ? PacketBufferOptions.Audio : PacketBufferOptions.Video,
                    Nack = nack ? NackTrackerOptions.Default : null,
                },
                KeyframeDetector = audio ? null : KeyframeDetectors.ForMimeType(mimeType),
                MaxLayers = audio ? 1 : 3,
            },
            timestampFrequency,
            this);
    }

    private readonly Lock _bitrateGate = new();
    private readonly long[] _bitrateBytes = new long[LayerSelection.MaxLayers];
    private readonly long[] _bitrateSampledAt = new long[LayerSelection.MaxLayers];
    private readonly long[] _bitrates = new long[LayerSelection.MaxLayers];

    /// <summary>Whether <paramref name="layer"/> delivered media within the last second (the publisher is sending it).</summary>
    public bool IsLayerActive(int layer, long now, long frequency) =>
        Router.GetStream(layer) is { } stream && stream.LastPacketAt != 0 && now - stream.LastPacketAt < frequency;

    /// <summary>
    /// The bitrate the publisher sends <paramref name="layer"/> at (bits per second, over the last second or more);
    /// 0 when the layer delivered nothing within the last second. Shared by every subscriber's allocation.
    /// </summary>
    public long LayerBitrate(int layer, long now, long frequency)
    {
        if (layer >= _bitrates.Length || !IsLayerActive(layer, now, frequency))
        {
            return 0;
        }

        var bytes = Router.GetStream(layer)!.Stats.Bytes;
        lock (_bitrateGate)
        {
            var elapsed = now - _bitrateSampledAt[layer];
            if (_bitrateSampledAt[layer] == 0 || bytes < _bitrateBytes[layer])
            {
                _bitrateSampledAt[layer] = now;
                _bitrateBytes[layer] = bytes;
            }
            else if (elapsed >= frequency)
            {
                _bitrates[layer] = (long)((bytes - _bitrateBytes[layer]) * 8 * (double)frequency / elapsed);
                _bitrateSampledAt[layer] = now;
                _bitrateBytes[layer] = bytes;
            }

            return _bitrates[layer] > 0 ? _bitrates[layer] : StreamAllocator.UnmeasuredLayerBitrate;
        }
    }

    public Participant Owner { get; }

    public TrackInfo Info { get; }

    public string Sid => Info.Sid;

    public string Mid { get; }

    /// <summary>e.g. <c>audio/opus</c>, <c>video/VP8</c>.</summary>
    public string MimeType { get; }

    public byte PayloadType { get; }

    /// <summary>The publisher's RTX payload type for the codec (RFC 4588, <c>apt=</c>); 0 when none was offered.</summary>
    public byte RtxPayloadType { get; init; }

    public uint ClockRate { get; }

    /// <summary>The codec's encoding name as in <c>a=rtpmap</c> (e.g. <c>opus</c>, <c>VP8</c>).</summary>
    public string EncodingName => MimeType[(MimeType.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>The publisher's <c>a=rtpmap</c> channel count (audio), if it gave one.</summary>
    public int? Channels { get; init; }

    /// <summary>The publisher's <c>a=fmtp</c> parameters for the codec, offered as they are to v0 subscribers.</summary>
    public string? FormatParameters { get; init; }

    public bool IsAudio => Info.Type == TrackType.Audio;

    public TrackRouter Router { get; }

    /// <summary>Loudness from the publisher's audio-level header extension (audio tracks only).</summary>
    public AudioLevelMeter? Meter { get; } = new();

    /// <summary>The publisher's RED payload type when it sends redundant audio (RFC 2198), else 0.</summary>
    public byte RedPayloadType { get; init; }

    /// <summary>The publisher's header extension id for ssrc-audio-level (0 = not negotiated).</summary>
    public byte AudioLevelExtensionId { get; set; }

    /// <summary>The publisher's header extension id for the transport-wide sequence number (0 = not negotiated).</summary>
    public byte TransportCcExtensionId { get; init; }

    /// <summary>The publisher's header extension id for the AV1 dependency descriptor (0 = not negotiated).</summary>
    public byte DependencyDescriptorExtensionId { get; init; }

    /// <summary>Publisher SSRCs seen for this track, with their simulcast layer.</summary>
    public ConcurrentDictionary<uint, int> Ssrcs { get; } = new();

    /// <summary>
    /// Whether the publisher muted the track (its own mute request or RoomService.MutePublishedTrack): forwarding stops
    /// on every down-track (and on new ones) until unmuted, then resumes at a keyframe.
    /// </summary>
    public bool Muted
    {
        get => Volatile.Read(ref _muted);
        set
        {
            Volatile.Write(ref _muted, value);
            foreach (var downTrack in Router.DownTracks)
            {
                downTrack.Muted = value;
            }

            if (!value && !IsAudio)
            {
                RequestKeyframes();
            }
        }
    }

    /// <summary>Records the highest layer one subscriber wants (-1: none, e.g. paused) for dynacast.</summary>
    public void SetWanted(string subscriberSid, int layer) => _wanted[subscriberSid] = layer;

    /// <summary>Forgets a subscriber's wish (unsubscribed or gone).</summary>
    public void RemoveWanted(string subscriberSid) => _wanted.TryRemove(subscriberSid, out _);

    /// <summary>
    /// Dynacast (publisher side, periodically): the <c>SubscribedQualityUpdate</c> to send when the highest layer any
    /// subscriber wants changed. Raising is immediate; lowering waits <paramref name="downgradeDelay"/> so a
    /// subscriber flapping between sizes does not make the publisher restart layers.
    /// </summary>
    public SubscribedQualityUpdate? TakeQualityUpdate(long now, long downgradeDelay)
    {
        if (IsAudio || !Info.Simulcast)
        {
            return null;
        }

        var max = -1;
        foreach (var (_, layer) in _wanted)
        {
            max = Math.Max(max, layer);
        }

        if (max >= _sentMaxLayer)
        {
            _lowerSince = 0;
            if (max == _sentMaxLayer)
            {
                return null;
            }
        }
        else if (_lowerSince == 0)
        {
            _lowerSince = now;
            return null;
        }
        else if (now - _lowerSince < downgradeDelay)
        {
            return null;
        }

        _sentMaxLayer = max;
        _lowerSince = 0;
        var update = new SubscribedQualityUpdate { TrackSid = Sid };
        var codec = new SubscribedCodec { Codec = MimeType[(MimeType.IndexOf('/') + 1)..].ToLowerInvariant() };
        foreach (var quality in (ReadOnlySpan<VideoQuality>)[VideoQuality.Low, VideoQuality.Medium, VideoQuality.High])
        {
            var enabled = LayerSelection.DesiredLayer(Info, new TrackSettings(false, quality, 0, 0)) <= max;
            update.SubscribedQualities.Add(new SubscribedQuality { Quality = quality, Enabled = enabled });
            codec.Qualities.Add(new SubscribedQuality { Quality = quality, Enabled = enabled });
        }

        update.SubscribedCodecs.Add(codec);
        return update;
    }

    /// <summary>Asks the publisher for a keyframe on every stream of this track (a subscriber sent PLI/FIR).</summary>
    public void RequestKeyframes()
    {
        foreach (var (ssrc, layer) in Ssrcs)
        {
            RequestKeyframe(ssrc, layer);
        }
    }

    public void RequestKeyframe(uint ssrc, int layer)
    {
        Span<byte> pli = stackalloc byte[RtcpPli.Size];
        if (new RtcpPli(1, ssrc).TryWrite(pli, out var written))
        {
            _publisher.SendRtcp(pli[..written]);
            MediaCounters.KeyframeRequests.Increment();
        }
    }

    public void Dispose() => Router.Dispose();
}
