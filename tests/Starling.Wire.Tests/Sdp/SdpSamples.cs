namespace Starling.Wire.Tests.Sdp;

/// <summary>Realistic offers, written for these tests in the shape the real stacks produce.</summary>
internal static class SdpSamples
{
    private const string Fingerprint =
        "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:F2:D6:8B:5C:9F:33:11:AA:60:4E:21";

    private const string VideoFeedback = """
        a=rtcp-fb:{0} goog-remb
        a=rtcp-fb:{0} transport-cc
        a=rtcp-fb:{0} ccm fir
        a=rtcp-fb:{0} nack
        a=rtcp-fb:{0} nack pli
        """;

    /// <summary>
    /// A Chrome 15x unified-plan publisher offer as livekit-client 2.x makes it: a mic (sendonly, RED + opus, with
    /// a=ssrc lines), a camera with three rid simulcast layers q/h/f (no a=ssrc lines), and the data channels.
    /// Candidates were gathered before the offer was taken, so the first section carries them.
    /// </summary>
    public static string ChromeOffer => $"""
        v=0
        o=- 8912765426745391034 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1 2
        a=extmap-allow-mixed
        a=msid-semantic: WMS 7f2c1a2e-6b1d-4b7e-9c51-5a0d6a1f9e33
        m=audio 9 UDP/TLS/RTP/SAVPF 63 111 9 0 8 13 110 126
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:1840965416 1 udp 2122260223 192.168.1.23 56143 typ host generation 0 network-id 1 network-cost 10
        a=candidate:3490135524 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0 network-id 1 network-cost 10
        a=ice-ufrag:Xq7T
        a=ice-pwd:Gm1Zk8vR5oQ0eYtW3pLc9sJd
        a=ice-options:trickle
        a=fingerprint:{Fingerprint}
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendonly
        a=msid:7f2c1a2e-6b1d-4b7e-9c51-5a0d6a1f9e33 0c1e5f7a-8d3b-4c2e-a1f0-9b8d7c6e5a41
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=rtcp-fb:111 nack
        a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:3735928559 cname:kL3f9Qx2Zt8mWv1R
        a=ssrc:3735928559 msid:7f2c1a2e-6b1d-4b7e-9c51-5a0d6a1f9e33 0c1e5f7a-8d3b-4c2e-a1f0-9b8d7c6e5a41
        m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 45 46 102 103 116 117 118
        c=IN IP4 0.0.0.0
        a=rtcp:9 IN IP4 0.0.0.0
        a=ice-ufrag:Xq7T
        a=ice-pwd:Gm1Zk8vR5oQ0eYtW3pLc9sJd
        a=ice-options:trickle
        a=fingerprint:{Fingerprint}
        a=setup:actpass
        a=mid:1
        a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:13 urn:3gpp:video-orientation
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
        a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
        a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
        a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
        a=extmap:9 https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension
        a=sendonly
        a=msid:7f2c1a2e-6b1d-4b7e-9c51-5a0d6a1f9e33 5d9e2b4c-1a3f-4e6d-8b7c-0f9e8d7c6b5a
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        {string.Format(System.Globalization.CultureInfo.InvariantCulture, VideoFeedback, 96)}
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:98 VP9/90000
        {string.Format(System.Globalization.CultureInfo.InvariantCulture, VideoFeedback, 98)}
        a=fmtp:98 profile-id=0
        a=rtpmap:99 rtx/90000
        a=fmtp:99 apt=98
        a=rtpmap:45 AV1/90000
        {string.Format(System.Globalization.CultureInfo.InvariantCulture, VideoFeedback, 45)}
        a=fmtp:45 level-idx=5;profile=0;tier=0
        a=rtpmap:46 rtx/90000
        a=fmtp:46 apt=45
        a=rtpmap:102 H264/90000
        {string.Format(System.Globalization.CultureInfo.InvariantCulture, VideoFeedback, 102)}
        a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
        a=rtpmap:103 rtx/90000
        a=fmtp:103 apt=102
        a=rtpmap:116 red/90000
        a=rtpmap:117 rtx/90000
        a=fmtp:117 apt=116
        a=rtpmap:118 ulpfec/90000
        a=rid:q send
        a=rid:h send
        a=rid:f send
        a=simulcast:send q;h;f
        m=application 9 UDP/DTLS/SCTP webrtc-datachannel
        c=IN IP4 0.0.0.0
        a=ice-ufrag:Xq7T
        a=ice-pwd:Gm1Zk8vR5oQ0eYtW3pLc9sJd
        a=ice-options:trickle
        a=fingerprint:{Fingerprint}
        a=setup:actpass
        a=mid:2
        a=sctp-port:5000
        a=max-message-size:262144

        """.ReplaceLineEndings("\r\n");

    /// <summary>
    /// The first offer of a libwebrtc (Rust SDK / rtc-node) client on LiveKit's single-PC path (reference §3.9): three
    /// recvonly audio and three recvonly video sections for subscriptions, plus the data channels. Recvonly
    /// sections carry no msid and no a=ssrc lines.
    /// </summary>
    public static string LibwebrtcRecvOnlyOffer
    {
        get
        {
            var mids = Enumerable.Range(0, 7).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var text = new System.Text.StringBuilder();
            text.Append($"""
                v=0
                o=- 3419824721034457825 2 IN IP4 127.0.0.1
                s=-
                t=0 0
                a=group:BUNDLE {string.Join(' ', mids)}
                a=extmap-allow-mixed
                a=msid-semantic: WMS

                """);
            for (var i = 0; i < 3; i++)
            {
                text.Append($"""
                    m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
                    c=IN IP4 0.0.0.0
                    a=rtcp:9 IN IP4 0.0.0.0
                    a=ice-ufrag:pW5s
                    a=ice-pwd:Zr7LmQ2xVt9cN4bH6kJ8sD1f
                    a=ice-options:trickle
                    a=fingerprint:{Fingerprint}
                    a=setup:actpass
                    a=mid:{i}
                    a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
                    a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
                    a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
                    a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
                    a=recvonly
                    a=rtcp-mux
                    a=rtcp-rsize
                    a=rtpmap:111 opus/48000/2
                    a=rtcp-fb:111 transport-cc
                    a=fmtp:111 minptime=10;useinbandfec=1
                    a=rtpmap:63 red/48000/2
                    a=fmtp:63 111/111
                    a=rtpmap:9 G722/8000
                    a=rtpmap:0 PCMU/8000
                    a=rtpmap:8 PCMA/8000
                    a=rtpmap:13 CN/8000
                    a=rtpmap:110 telephone-event/48000
                    a=rtpmap:126 telephone-event/8000

                    """);
            }

            for (var i = 3; i < 6; i++)
            {
                text.Append($"""
                    m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 102 103
                    c=IN IP4 0.0.0.0
                    a=rtcp:9 IN IP4 0.0.0.0
                    a=ice-ufrag:pW5s
                    a=ice-pwd:Zr7LmQ2xVt9cN4bH6kJ8sD1f
                    a=ice-options:trickle
                    a=fingerprint:{Fingerprint}
                    a=setup:actpass
                    a=mid:{i}
                    a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
                    a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
                    a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
                    a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
                    a=extmap:9 https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension
                    a=recvonly
                    a=rtcp-mux
                    a=rtcp-rsize
                    a=rtpmap:96 VP8/90000
                    {string.Format(System.Globalization.CultureInfo.InvariantCulture, VideoFeedback, 96)}
                    a=rtpmap:97 rtx/90000
                    a=fmtp:97 apt=96
                    a=rtpmap:98 VP9/90000
                    {string.Format(System.Globalization.CultureInfo.InvariantCulture, VideoFeedback, 98)}
                    a=fmtp:98 profile-id=0
                    a=rtpmap:99 rtx/90000
                    a=fmtp:99 apt=98
                    a=rtpmap:102 H264/90000
                    {string.Format(System.Globalization.CultureInfo.InvariantCulture, VideoFeedback, 102)}
                    a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
                    a=rtpmap:103 rtx/90000
                    a=fmtp:103 apt=102

                    """);
            }

            text.Append($"""
                m=application 9 UDP/DTLS/SCTP webrtc-datachannel
                c=IN IP4 0.0.0.0
                a=ice-ufrag:pW5s
                a=ice-pwd:Zr7LmQ2xVt9cN4bH6kJ8sD1f
                a=ice-options:trickle
                a=fingerprint:{Fingerprint}
                a=setup:actpass
                a=mid:6
                a=sctp-port:5000
                a=max-message-size:262144

                """);
            return text.ToString().ReplaceLineEndings("\r\n");
        }
    }
}
