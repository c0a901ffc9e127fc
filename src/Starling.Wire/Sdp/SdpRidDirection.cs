namespace Starling.Wire.Sdp;

/// <summary>Direction of an <c>a=rid</c> (RFC 8851 §10).</summary>
internal enum SdpRidDirection
{
    Send,
    Recv,
}
