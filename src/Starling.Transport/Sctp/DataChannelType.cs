namespace Starling.Transport.Sctp;

/// <summary>DATA_CHANNEL_OPEN channel types (RFC 8832 §5.1): bit 0x80 = unordered.</summary>
internal enum DataChannelType : byte
{
    Reliable = 0x00,
    PartialReliableRexmit = 0x01,
    PartialReliableTimed = 0x02,
    ReliableUnordered = 0x80,
    PartialReliableRexmitUnordered = 0x81,
    PartialReliableTimedUnordered = 0x82,
}
