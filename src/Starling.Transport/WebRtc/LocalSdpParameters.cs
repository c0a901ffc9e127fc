namespace Starling.Transport.WebRtc;

/// <summary>What our side of a negotiation advertises: ICE credentials, DTLS fingerprint, candidates.</summary>
internal sealed record LocalSdpParameters(
    string IceUfrag,
    string IcePassword,
    string Fingerprint,
    IReadOnlyList<string> Candidates,
    ulong SessionId,
    ulong SessionVersion,
    int SctpPort = 5000,
    long MaxMessageSize = 262144);
