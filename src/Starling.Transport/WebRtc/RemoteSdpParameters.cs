namespace Starling.Transport.WebRtc;

/// <summary>What a remote description told us about the transport (taken from its first bundled section).</summary>
internal sealed record RemoteSdpParameters(string IceUfrag, string IcePassword, string Fingerprint, bool HasApplication);
