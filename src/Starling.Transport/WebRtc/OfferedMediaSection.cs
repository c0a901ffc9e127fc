namespace Starling.Transport.WebRtc;

/// <summary>
/// One audio or video section of a server offer (v0 subscriber peer connection). <see cref="Send"/> null writes the
/// section <c>inactive</c>; otherwise <c>sendonly</c> with LiveKit's msid and our SSRC. <see cref="Rejected"/> keeps a
/// section the client refused (port 0) in its place, since sections are never removed from later offers.
/// </summary>
internal sealed record OfferedMediaSection(string Mid, bool IsAudio, OfferedCodec Codec, MediaSendAssignment? Send, bool Rejected = false);
