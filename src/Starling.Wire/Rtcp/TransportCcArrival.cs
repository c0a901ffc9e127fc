namespace Starling.Wire.Rtcp;

/// <summary>A packet the receiver got: its transport-wide sequence number and local arrival time, input to
/// the <see cref="RtcpTransportCc"/> writer.</summary>
internal readonly record struct TransportCcArrival(ushort SequenceNumber, long ArrivalMicroseconds);
