using System.Collections.Concurrent;
using Starling.Transport.WebRtc;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Tests.Media;

/// <summary>
/// A peer connection stand-in for media tests: holds a parsed remote offer, lets the test push decrypted RTP/RTCP in
/// as if from the client, and records the RTCP the server sends.
/// </summary>
internal sealed class MediaTestTransport : IRtcTransport
{
    public ConcurrentQueue<byte[]> SentRtcp { get; } = new();

    /// <summary>False: RTCP is only counted (allocation tests).</summary>
    public bool RecordRtcp { get; set; } = true;

    /// <summary>RTCP packets sent, recorded or not.</summary>
    public int RtcpCount { get; private set; }

    public Func<string, MediaSendAssignment?>? SendAssignments { get; set; }

    public SdpSessionDescription? RemoteOffer { get; private set; }

    public RtpPacketHandler? RtpReceived { get; set; }

    public RtpPacketHandler? RtcpReceived { get; set; }

    public RtcTransportState State => RtcTransportState.Connected;

#pragma warning disable CS0067 // events of the interface the media tests do not raise
    public event Action<RtcTransportState>? StateChanged;

    public event Action<string, ReadOnlyMemory<byte>>? DataReceived;

    public event Action<string>? DataChannelOpened;

    public event Action<string>? LocalCandidate;
#pragma warning restore CS0067

    public string ApplyOffer(string sdp)
    {
        RemoteOffer = SdpNegotiator.Parse(sdp);
        return string.Empty;
    }

    public string CreateOffer(bool iceRestart) => throw new NotSupportedException();

    public void ApplyAnswer(string sdp) => throw new NotSupportedException();

    public void AddRemoteCandidate(string candidateInitJson)
    {
    }

    public void CreateDataChannel(string label, bool ordered, int? maxRetransmits)
    {
    }

    public bool SendData(string label, ReadOnlySpan<byte> message) => false;

    public bool SendRtp(Span<byte> buffer, int length) => true;

    public bool SendRtcp(ReadOnlySpan<byte> packet)
    {
        RtcpCount++;
        if (RecordRtcp)
        {
            SentRtcp.Enqueue(packet.ToArray());
        }

        return true;
    }

    public void ReceiveRtp(ReadOnlySpan<byte> packet) => RtpReceived?.Invoke(packet);

    public void ReceiveRtcp(ReadOnlySpan<byte> packet) => RtcpReceived?.Invoke(packet);

    public void Dispose()
    {
    }
}
