namespace Starling.Transport.WebRtc;

/// <summary>
/// One WebRTC peer connection as the signalling layer sees it: SDP in and out, remote candidates, state,
/// and the LiveKit data channels. v1 clients have one (client offers); v0 clients have a publisher
/// transport (client offers) and a subscriber transport (server offers, server-created data channels).
/// Events are raised on transport threads; handlers must not block.
/// </summary>
internal interface IRtcTransport : IDisposable
{
    /// <summary>Applies a remote offer and returns the local answer (also on renegotiation and ICE restart).</summary>
    string ApplyOffer(string sdp);

    /// <summary>
    /// Creates a local offer (server-offered subscriber transport): the data section, then <paramref name="media"/> in
    /// order (every section offered before, in its place). An ICE restart takes new local credentials.
    /// </summary>
    string CreateOffer(bool iceRestart, IReadOnlyList<OfferedMediaSection> media);

    /// <summary>Applies the remote answer to <see cref="CreateOffer"/> and returns it parsed.</summary>
    /// <exception cref="FormatException">Not SDP, or without ICE credentials or a DTLS fingerprint.</exception>
    Starling.Wire.Sdp.SdpSessionDescription ApplyAnswer(string sdp);

    /// <summary>Adds a trickled remote candidate (JSON of an RTCIceCandidateInit); buffered until a remote description exists.</summary>
    void AddRemoteCandidate(string candidateInitJson);

    /// <summary>Opens a server-side data channel (v0 subscriber: _reliable, _lossy, _data_track).</summary>
    void CreateDataChannel(string label, bool ordered, int? maxRetransmits);

    /// <summary>Sends one message on the channel with this label; false when it is not open or over its buffer.</summary>
    bool SendData(string label, ReadOnlySpan<byte> message);

    /// <summary>
    /// Chooses what we send in a receive section the client offered (by mid) while answering; null keeps it
    /// inactive. Consulted by <see cref="ApplyOffer"/>.
    /// </summary>
    Func<string, MediaSendAssignment?>? SendAssignments { get; set; }

    /// <summary>
    /// The payload type to receive in a video section the client sends in (the codec it asked to publish with), or null
    /// for the first codec we support. Consulted by <see cref="ApplyOffer"/>.
    /// </summary>
    Func<Starling.Wire.Sdp.SdpMediaDescription, int?>? PublishCodecs { get; set; }

    /// <summary>The last remote offer, parsed (null before the first).</summary>
    Starling.Wire.Sdp.SdpSessionDescription? RemoteOffer { get; }

    /// <summary>Decrypted RTP from the client (publisher media).</summary>
    RtpPacketHandler? RtpReceived { get; set; }

    /// <summary>Decrypted RTCP from the client (feedback on what we send, reports on what it sends).</summary>
    RtpPacketHandler? RtcpReceived { get; set; }

    /// <summary>
    /// Encrypts and sends the RTP packet in <c>buffer[..length]</c> in place (the buffer must have room for the SRTP
    /// tag after it). False before DTLS completes or when the packet is refused. Safe to call concurrently.
    /// </summary>
    bool SendRtp(Span<byte> buffer, int length);

    /// <summary>Encrypts and sends an RTCP packet (copied; small).</summary>
    bool SendRtcp(ReadOnlySpan<byte> packet);

    RtcTransportState State { get; }

    event Action<RtcTransportState>? StateChanged;

    /// <summary>A message arrived on a data channel (label, payload).</summary>
    event Action<string, ReadOnlyMemory<byte>>? DataReceived;

    /// <summary>A data channel opened (by either side); the argument is its label.</summary>
    event Action<string>? DataChannelOpened;

    /// <summary>A local ICE candidate to trickle (JSON of an RTCIceCandidateInit).</summary>
    event Action<string>? LocalCandidate;
}
