namespace Starling.Transport.Sctp;

/// <summary>Parameter type codes (RFC 9260 §3.3.2.1, RFC 3758, RFC 6525 §4, RFC 4895, RFC 5061, RFC 9653).</summary>
internal enum SctpParameterType : ushort
{
    HeartbeatInfo = 1,
    Ipv4Address = 5,
    Ipv6Address = 6,
    StateCookie = 7,
    UnrecognizedParameter = 8,
    CookiePreservative = 9,
    HostNameAddress = 11,
    SupportedAddressTypes = 12,
    OutgoingSsnResetRequest = 13,
    IncomingSsnResetRequest = 14,
    SsnTsnResetRequest = 15,
    ReconfigurationResponse = 16,
    AddOutgoingStreamsRequest = 17,
    AddIncomingStreamsRequest = 18,
    EcnCapable = 0x8000,
    ZeroChecksumAcceptable = 0x8001,
    Random = 0x8002,
    ChunkList = 0x8003,
    RequestedHmacAlgorithm = 0x8004,
    SupportedExtensions = 0x8008,
    ForwardTsnSupported = 0xC000,
    AdaptationLayerIndication = 0xC006,
}
