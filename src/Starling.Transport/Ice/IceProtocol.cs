namespace Starling.Transport.Ice;

/// <summary>The transport of a candidate: UDP, or passive ICE-TCP with RFC 4571 framing (RFC 6544).</summary>
internal enum IceProtocol
{
    Udp,
    Tcp,
}
