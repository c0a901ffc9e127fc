namespace Starling.Transport.WebRtc;

/// <summary>
/// What we send in one client-offered receive section: LiveKit's msid (<c>PA_…|TR_…</c> stream, <c>TR_…</c> track)
/// and our SSRC for it. The answer then says <c>sendonly</c> with matching <c>a=msid</c> and <c>a=ssrc</c> lines and, on
/// the client-offered path, lists <paramref name="PayloadType"/> (the track's codec) first.
/// <see cref="RtxSsrc"/> (0 = none) is our RTX stream's SSRC (RFC 4588), announced with <c>a=ssrc-group:FID</c> where
/// the section negotiates RTX for its codec.
/// </summary>
internal sealed record MediaSendAssignment(string StreamId, string TrackId, uint Ssrc, uint RtxSsrc = 0, int? PayloadType = null);
