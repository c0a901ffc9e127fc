using Starling.Transport.WebRtc;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Tests.Media;

/// <summary>
/// A peer connection stand-in for media tests: builds real SDP with <see cref="SdpNegotiator"/>, records what is sent
/// (offers, RTP, RTCP) and lets the test deliver the client's RTP/RTCP as if decrypted from the network.
/// </summary>
internal sealed class FakeTransport : IRtcTransport
{
    public static readonly LocalSdpParameters Local = new(
        "srvufrag",
        "server-password-0123",
        "sha-256 " + string.Join(':', Enumerable.Repeat("CD", 32)),
        ["candidate:1 1 udp 2130706431 10.77.0.1 7882 typ host"],
        SessionId: 7,
        SessionVersion: 1);

    public List<IReadOnlyList<OfferedMediaSection>> Offers { get; } = [];

    public int IceRestarts { get; private set; }

    public List<byte[]> SentRtp { get; } = [];

    public List<byte[]> SentRtcp { get; } = [];

    public Func<string, MediaSendAssignment?>? SendAssignments { get; set; }

    public Func<Starling.Wire.Sdp.SdpMediaDescription, int?>? PublishCodecs { get; set; }

    public SdpSessionDescription? RemoteOffer { get; private set; }

    public RtpPacketHandler? RtpReceived { get; set; }

    public RtpPacketHandler? RtcpReceived { get; set; }

    public RtcTransportState State => RtcTransportState.Connected;

    public event Action<RtcTransportState>? StateChanged { add { } remove { } }

    public event Action<string, ReadOnlyMemory<byte>>? DataReceived { add { } remove { } }

    public event Action<string>? DataChannelOpened { add { } remove { } }

    public event Action<string>? LocalCandidate { add { } remove { } }

    public string ApplyOffer(string sdp)
    {
        RemoteOffer = SdpNegotiator.Parse(sdp);
        return SdpNegotiator.BuildAnswer(RemoteOffer, Local, SendAssignments, PublishCodecs);
    }

    public string CreateOffer(bool iceRestart, IReadOnlyList<OfferedMediaSection> media)
    {
        Offers.Add(media);
        IceRestarts += iceRestart ? 1 : 0;
        return SdpNegotiator.BuildOffer(Local, media);
    }

    public SdpSessionDescription ApplyAnswer(string sdp)
    {
        var answer = SdpNegotiator.Parse(sdp);
        SdpNegotiator.ReadRemote(answer);
        return answer;
    }

    public void AddRemoteCandidate(string candidateInitJson)
    {
    }

    public void CreateDataChannel(string label, bool ordered, int? maxRetransmits)
    {
    }

    public bool SendData(string label, ReadOnlySpan<byte> message) => true;

    public bool SendRtp(Span<byte> buffer, int length)
    {
        RtpCount++;
        if (RecordRtp)
        {
            SentRtp.Add(buffer[..length].ToArray());
        }

        return true;
    }

    /// <summary>Whether sent RTP packets are kept in <see cref="SentRtp"/> (off for allocation tests).</summary>
    public bool RecordRtp { get; set; } = true;

    /// <summary>RTP packets sent, kept or not.</summary>
    public int RtpCount { get; private set; }

    /// <summary>False: RTCP is only counted, not kept (allocation tests).</summary>
    public bool RecordRtcp { get; set; } = true;

    /// <summary>RTCP packets sent, kept or not.</summary>
    public int RtcpCount { get; private set; }

    public bool SendRtcp(ReadOnlySpan<byte> packet)
    {
        RtcpCount++;
        if (RecordRtcp)
        {
            SentRtcp.Add(packet.ToArray());
        }

        return true;
    }

    /// <summary>RTP from the client, as the transport hands it on after SRTP.</summary>
    public void Deliver(ReadOnlySpan<byte> rtp) => RtpReceived?.Invoke(rtp);

    /// <summary>RTCP from the client.</summary>
    public void DeliverRtcp(ReadOnlySpan<byte> rtcp) => RtcpReceived?.Invoke(rtcp);

    public void Dispose()
    {
    }
}
