namespace Starling.Wire.Sdp;

/// <summary>Media direction attributes (RFC 8866 §6.7); sendrecv when none is given.</summary>
internal enum SdpDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
