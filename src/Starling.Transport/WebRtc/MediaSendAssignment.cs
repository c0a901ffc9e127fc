namespace Starling.Transport.WebRtc;

/// <summary>
/// What we send in one client-offered receive section: LiveKit's msid (<c>PA_…|TR_…</c> stream, <c>TR_…</c> track)
/// and our SSRC for it. The answer then says <c>sendonly</c> with matching <c>a=msid</c> and <c>a=ssrc</c> lines and, on
/// the client-offered path, lists <paramref name="PayloadType"/> (the track's codec) first.
/// </summary>
internal sealed record MediaSendAssignment(string StreamId, string TrackId, uint Ssrc, int? PayloadType = null);
