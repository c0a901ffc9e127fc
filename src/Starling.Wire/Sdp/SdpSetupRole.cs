namespace Starling.Wire.Sdp;

/// <summary><c>a=setup</c> values (RFC 4145 §4, RFC 8842 §5): who opens the DTLS association.</summary>
internal enum SdpSetupRole
{
    ActPass,
    Active,
    Passive,
    HoldConn,
}
