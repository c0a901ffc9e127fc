namespace Starling.Wire.Rtcp;

/// <summary>
/// One packet reported by transport-cc feedback. For a received packet <see cref="DeltaMicroseconds"/> is its
/// arrival after the previous received packet (after the reference time for the first) and
/// <see cref="ArrivalMicroseconds"/> the running sum from the reference time (reference time × 64 ms + deltas);
/// both are 0 for a lost one.
/// </summary>
internal readonly record struct TransportCcPacketResult(ushort SequenceNumber, TransportCcStatus Status, int DeltaMicroseconds, long ArrivalMicroseconds)
{
    public bool Received => Status != TransportCcStatus.NotReceived;
}
