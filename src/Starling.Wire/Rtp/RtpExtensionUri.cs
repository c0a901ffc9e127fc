namespace Starling.Wire.Rtp;

/// <summary>
/// The <c>a=extmap</c> URIs of the header extensions WebRTC and LiveKit negotiate (livekit-protocol.md §6.2).
/// The local ids differ per peer connection and direction; map them with <see cref="RtpRewriter.TryMapExtensionIds"/>.
/// </summary>
internal static class RtpExtensionUri
{
    /// <summary>RFC 8843 §15.2: the media section's <c>a=mid</c> (<see cref="SdesTextExtension"/>).</summary>
    public const string Mid = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>RFC 8852 §3.1: the simulcast layer's rid (<see cref="SdesTextExtension"/>).</summary>
    public const string RtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

    /// <summary>RFC 8852 §3.2: the rid an RTX stream repairs (<see cref="SdesTextExtension"/>).</summary>
    public const string RepairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /// <summary>RFC 6464 (<see cref="AudioLevelExtension"/>).</summary>
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    /// <summary>(<see cref="AbsSendTimeExtension"/>).</summary>
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /// <summary>(<see cref="TransportSequenceNumberExtension"/>).</summary>
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /// <summary>(<see cref="AbsCaptureTimeExtension"/>).</summary>
    public const string AbsCaptureTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";

    /// <summary>(<see cref="DependencyDescriptorExtension"/>).</summary>
    public const string DependencyDescriptor = "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

    /// <summary>draft-ietf-avtext-framemarking (offered by LiveKit, not parsed here).</summary>
    public const string FrameMarking = "urn:ietf:params:rtp-hdrext:framemarking";

    public const string PlayoutDelay = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

    public const string TransmissionTimeOffset = "urn:ietf:params:rtp-hdrext:toffset";

    public const string VideoOrientation = "urn:3gpp:video-orientation";
}
