namespace Starling.Transport.Sctp;

/// <summary>DCEP message types (RFC 8832 §8.2.1).</summary>
internal enum DcepMessageType : byte
{
    DataChannelAck = 0x02,
    DataChannelOpen = 0x03,
}
