using System.Collections.Concurrent;
using Starling.Transport.WebRtc;

namespace Starling.Server.Tests.Signal;

/// <summary>A peer connection stand-in: answers any SDP, "connects" on the first negotiation, loops data through lists.</summary>
internal sealed class FakeRtcTransport(string participantSid, bool serverIsOfferer) : IRtcTransport
{
    public string ParticipantSid { get; } = participantSid;

    public bool ServerIsOfferer { get; } = serverIsOfferer;

    public ConcurrentQueue<(string Label, byte[] Data)> Sent { get; } = new();

    public ConcurrentQueue<string> RemoteCandidates { get; } = new();

    public List<string> Channels { get; } = [];

    public int Offers { get; private set; }

    public RtcTransportState State { get; private set; } = RtcTransportState.New;

    public Func<string, MediaSendAssignment?>? SendAssignments { get; set; }

    public Func<Starling.Wire.Sdp.SdpMediaDescription, int?>? PublishCodecs { get; set; }

    /// <summary>The last offer, when it was real SDP (tests that publish media send real offers).</summary>
    public Starling.Wire.Sdp.SdpSessionDescription? RemoteOffer { get; private set; }

    private static readonly LocalSdpParameters Local = new(
        "fakeufrag", "fake-password-0123456", "sha-256 " + string.Join(':', Enumerable.Repeat("EF", 32)), [], SessionId: 1, SessionVersion: 1);

    public RtpPacketHandler? RtpReceived { get; set; }

    public RtpPacketHandler? RtcpReceived { get; set; }

    public bool SendRtp(Span<byte> buffer, int length) => true;

    public bool SendRtcp(ReadOnlySpan<byte> packet) => true;

    public event Action<RtcTransportState>? StateChanged;

    public event Action<string, ReadOnlyMemory<byte>>? DataReceived;

    public event Action<string>? LocalCandidate;

    public event Action<string>? DataChannelOpened;

    public string ApplyOffer(string sdp)
    {
        if (!sdp.StartsWith("v=0", StringComparison.Ordinal))
        {
            throw new FormatException("not an SDP");
        }

        Connect();
        if (Starling.Wire.Sdp.SdpSessionDescription.TryParse(sdp, out var offer, out _))
        {
            RemoteOffer = offer;
            return SdpNegotiator.BuildAnswer(offer, Local, SendAssignments, PublishCodecs);
        }

        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=fake-answer\r\n";
    }

    /// <summary>The media sections of the last offer.</summary>
    public IReadOnlyList<OfferedMediaSection> OfferedMedia { get; private set; } = [];

    public string CreateOffer(bool iceRestart, IReadOnlyList<OfferedMediaSection> media)
    {
        Offers++;
        OfferedMedia = media;
        LocalCandidate?.Invoke("{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
        return SdpNegotiator.BuildOffer(Local, media);
    }

    public Starling.Wire.Sdp.SdpSessionDescription ApplyAnswer(string sdp)
    {
        Connect();
        return Starling.Wire.Sdp.SdpSessionDescription.TryParse(sdp, out var parsed, out _)
            ? parsed
            : new Starling.Wire.Sdp.SdpSessionDescription(new Starling.Wire.Sdp.SdpOrigin("-", "1", 1, "IN", "IP4", "127.0.0.1"));
    }

    public void AddRemoteCandidate(string candidateInitJson) => RemoteCandidates.Enqueue(candidateInitJson);

    public void CreateDataChannel(string label, bool ordered, int? maxRetransmits)
    {
        Channels.Add(label);
        DataChannelOpened?.Invoke(label);
    }

    public bool SendData(string label, ReadOnlySpan<byte> message)
    {
        Sent.Enqueue((label, message.ToArray()));
        return true;
    }

    /// <summary>Simulates a message from the client on a data channel.</summary>
    public void Receive(string label, byte[] data) => DataReceived?.Invoke(label, data);

    public void Fail() => SetState(RtcTransportState.Failed);

    private void Connect()
    {
        if (State != RtcTransportState.Connected)
        {
            SetState(RtcTransportState.Connected);
        }
    }

    private void SetState(RtcTransportState state)
    {
        State = state;
        StateChanged?.Invoke(state);
    }

    public void Dispose() => State = RtcTransportState.Closed;
}
