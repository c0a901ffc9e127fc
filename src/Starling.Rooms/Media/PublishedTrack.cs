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
/// Keyframe requests from the router go back to the publisher as RTCP PLI.
/// </summary>
internal sealed class PublishedTrack : IPublisherFeedback, IDisposable
{
    private readonly IRtcTransport _publisher;

    public PublishedTrack(Participant owner, TrackInfo info, string mid, string mimeType, byte payloadType, uint clockRate, IRtcTransport publisher, TimeProvider? time = null)
    {
        Owner = owner;
        Info = info;
        Mid = mid;
        MimeType = mimeType;
        PayloadType = payloadType;
        ClockRate = clockRate;
        _publisher = publisher;
        var audio = info.Type == TrackType.Audio;
        Router = new TrackRouter(
            new TrackRouterOptions
            {
                ReceiveStream = new ReceiveStreamOptions
                {
                    ClockRate = (int)clockRate,
                    PacketBuffer = audio ? PacketBufferOptions.Audio : PacketBufferOptions.Video,
                },
                KeyframeDetector = audio ? null : KeyframeDetectors.ForMimeType(mimeType),
                MaxLayers = audio ? 1 : 3,
            },
            (time ?? TimeProvider.System).TimestampFrequency,
            this);
    }

    public Participant Owner { get; }

    public TrackInfo Info { get; }

    public string Sid => Info.Sid;

    public string Mid { get; }

    /// <summary>e.g. <c>audio/opus</c>, <c>video/VP8</c>.</summary>
    public string MimeType { get; }

    public byte PayloadType { get; }

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

    /// <summary>The publisher's header extension id for ssrc-audio-level (0 = not negotiated).</summary>
    public byte AudioLevelExtensionId { get; set; }

    /// <summary>Publisher SSRCs seen for this track, with their simulcast layer.</summary>
    public ConcurrentDictionary<uint, int> Ssrcs { get; } = new();

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
        }
    }

    public void Dispose() => Router.Dispose();
}
