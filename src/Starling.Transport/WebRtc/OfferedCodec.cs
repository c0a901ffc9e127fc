namespace Starling.Transport.WebRtc;

/// <summary>
/// The one codec a server-offered media section carries: our payload type for it on this peer connection, and the
/// publisher's <c>a=rtpmap</c> name, clock rate, channels and <c>a=fmtp</c> parameters (so the subscriber decodes
/// exactly what is forwarded). <see cref="RtxPayloadType"/> (0 = none) adds <c>rtx/90000</c> with <c>apt</c> = the
/// codec (RFC 4588 §8.6), for the retransmissions of video.
/// </summary>
internal sealed record OfferedCodec(int PayloadType, string EncodingName, uint ClockRate, int? Channels = null, string? FormatParameters = null, int RtxPayloadType = 0);
