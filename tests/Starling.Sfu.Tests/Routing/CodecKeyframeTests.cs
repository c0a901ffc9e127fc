using Starling.Sfu.Forwarding;
using Starling.Sfu.Routing;
using Starling.Wire.Rtp;

namespace Starling.Sfu.Tests.Routing;

/// <summary>
/// Keyframe detection per codec, as the router uses it: a case table of first packets as libwebrtc packetizes them,
/// and, for each codec, a down-track that resumes after a mute or switches layers only at a real keyframe.
/// </summary>
public sealed class CodecKeyframeTests
{
    private const long Frequency = 1000;

    [Theory]
    // VP8 (RFC 7741): descriptor, then the payload header whose P bit (bit 0) is 0 on key frames
    [InlineData("video/VP8", "10 00 9D 01 2A", true)] // S = 1, PID 0, P = 0
    [InlineData("video/VP8", "10 01 9D", false)] // P = 1: interframe
    [InlineData("video/VP8", "00 00 9D", false)] // S = 0: not the first packet of the partition
    [InlineData("video/VP8", "90 80 05 00 9D", true)] // X, I: 7-bit picture id, then a key frame
    [InlineData("video/VP8", "90 80 05 01 9D", false)]
    // VP9 (RFC 9628), non-flexible as libwebrtc sends L3T3_KEY: I P L F B E V Z, picture id, layer indices, TL0PICIDX
    [InlineData("video/VP9", "A8 05 00 07", true)] // B = 1, P = 0 on spatial layer 0: the key picture starts
    [InlineData("video/VP9", "A8 05 02 07", false)] // spatial layer 1 of the key picture
    [InlineData("video/VP9", "A8 05 04 07", false)] // spatial layer 2
    [InlineData("video/VP9", "E8 05 00 07", false)] // P = 1: inter-picture predicted
    [InlineData("video/VP9", "A4 05 00 07", false)] // B = 0: a later packet of the key picture
    [InlineData("video/VP9", "", false)]
    // H.264 (RFC 6184): IDR or SPS in a single NAL unit, a STAP-A, or the first FU-A fragment
    [InlineData("video/H264", "65 88 84 00", true)] // IDR slice
    [InlineData("video/H264", "67 42 C0 1F", true)] // SPS
    [InlineData("video/H264", "78 00 04 67 42 C0 1F 00 02 68 CE", true)] // STAP-A: SPS + PPS, as libwebrtc sends before an IDR
    [InlineData("video/H264", "78 00 02 68 CE 00 03 65 88 84", true)] // STAP-A: PPS + IDR
    [InlineData("video/H264", "7C 85 88 84", true)] // FU-A start of an IDR
    [InlineData("video/H264", "7C 05 88 84", false)] // FU-A middle fragment
    [InlineData("video/H264", "41 9A 02 03", false)] // non-IDR slice
    [InlineData("video/H264", "5C 81 9A 02", false)] // FU-A start of a non-IDR slice
    // AV1 (AV1 RTP spec §4.4): the aggregation header's N bit starts a coded video sequence
    [InlineData("video/AV1", "18 12 00", true)] // W = 1, N = 1: key frame, one OBU
    [InlineData("video/AV1", "58 12 00", true)] // Y = 1 too: key frame continues in the next packet
    [InlineData("video/AV1", "08 0A 0B", true)] // W = 0 (OBUs with lengths), N = 1
    [InlineData("video/AV1", "10 32 00", false)] // W = 1, N = 0: delta frame
    [InlineData("video/AV1", "90 32 00", false)] // Z = 1: a continuation
    [InlineData("video/AV1", "", false)]
    public void Detector_FirstPackets(string mime, string hex, bool keyframe)
    {
        var detector = KeyframeDetectors.ForMimeType(mime);
        Assert.NotNull(detector);
        Assert.Equal(keyframe, detector(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal))));
    }

    /// <summary>A key and a delta first packet for each codec, in libwebrtc's packetization.</summary>
    public static TheoryData<string, byte[], byte[]> Codecs => new()
    {
        { "video/VP8", [0x10, 0x00, 0x9D, 0x01, 0x2A], [0x10, 0x01, 0x9D] },
        { "video/VP9", [0xA8, 0x05, 0x00, 0x07], [0xE8, 0x06, 0x00, 0x07] },
        { "video/H264", [0x78, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F, 0x00, 0x02, 0x68, 0xCE], [0x41, 0x9A, 0x02, 0x03] },
        { "video/AV1", [0x18, 0x12, 0x00], [0x10, 0x32, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Unmute_ResumesOnlyAtAKeyframeOfTheCodec(string mime, byte[] key, byte[] delta)
    {
        var feedback = new RecordingFeedback();
        using var router = Router(mime, feedback);
        var sink = new RecordingSink();
        var downTrack = router.AddDownTrack(new DownTrackOptions { Ssrc = 500, PayloadType = 100, Forwarder = new ForwarderOptions { InitialTargetLayer = 0 } }, sink);
        ushort sequence = 1;
        uint timestamp = 0;
        void Frame(long now, byte[] payload)
        {
            router.WriteRtp(Packet(sequence++, timestamp, 0x1110, payload), 0, now);
            timestamp += 3000;
        }

        Frame(0, delta);
        Assert.Empty(sink.Packets); // the start waits for a keyframe too
        Frame(10, key);
        Frame(20, delta);
        Assert.Equal(2, sink.Packets.Count);

        downTrack.Muted = true;
        Frame(30, delta);
        Frame(40, key);
        downTrack.Muted = false;
        feedback.KeyframeRequests.Clear();
        Frame(50, delta);
        Frame(60, delta);
        Assert.Equal(2, sink.Packets.Count);
        Assert.Contains((0x1110u, 0), feedback.KeyframeRequests);
        Frame(70, key);
        Frame(80, delta);
        Assert.Equal(4, sink.Packets.Count);
        Assert.Equal(key, Payload(sink.Packets[2]));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void LayerSwitch_HappensAtAKeyframeOfTheTargetLayer(string mime, byte[] key, byte[] delta)
    {
        using var router = Router(mime, new RecordingFeedback());
        var sink = new RecordingSink();
        var downTrack = router.AddDownTrack(new DownTrackOptions { Ssrc = 500, PayloadType = 100, Forwarder = new ForwarderOptions { InitialTargetLayer = 0 } }, sink);
        ushort[] sequence = [1, 20_000];
        uint[] ssrc = [0x1110, 0x2220];
        void Frame(int layer, long now, byte[] payload) => router.WriteRtp(Packet(sequence[layer]++, (uint)now * 90, ssrc[layer], payload), layer, now);

        Frame(0, 0, key);
        Frame(1, 0, key);
        downTrack.TargetLayer = 1;
        Frame(0, 33, delta);
        Frame(1, 33, delta); // not a keyframe: layer 0 goes on
        Assert.Equal(0, downTrack.CurrentLayer);
        Frame(1, 66, key);
        Assert.Equal(1, downTrack.CurrentLayer);
        Assert.Equal(key, Payload(sink.Packets[^1]));
    }

    private static TrackRouter Router(string mime, RecordingFeedback feedback) => new(
        new TrackRouterOptions { KeyframeDetector = KeyframeDetectors.ForMimeType(mime), KeyframeRequestInterval = TimeSpan.FromMilliseconds(5) },
        Frequency,
        feedback);

    private static byte[] Packet(ushort sequence, uint timestamp, uint ssrc, byte[] payload)
    {
        var buffer = new byte[200];
        var writer = new RtpPacketWriter(buffer, 96, sequence, timestamp, ssrc, marker: true);
        writer.AddPayload(payload);
        Assert.True(writer.TryComplete(out var length));
        return buffer[..length];
    }

    private static byte[] Payload(byte[] packet)
    {
        Assert.True(RtpPacket.TryRead(packet, out var read, out _));
        return read.Payload.ToArray();
    }
}
