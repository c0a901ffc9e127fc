namespace Starling.Wire.Sdp;

/// <summary>Candidate types of RFC 8445 §5.1.1 as written after <c>typ</c> (RFC 8839 §5.1).</summary>
internal enum IceCandidateType
{
    Host,
    ServerReflexive,
    PeerReflexive,
    Relayed,
}
