namespace Starling.Transport.Sctp;

/// <summary>A point-in-time view of an association: counters plus congestion and flow control state.</summary>
internal readonly record struct SctpAssociationStats(
    SctpAssociationState State,
    SctpCounters Counters,
    long CongestionWindow,
    long SlowStartThreshold,
    long FlightSize,
    long PeerReceiverWindow,
    long LocalReceiverWindow,
    long SendBufferedBytes,
    int OutstandingChunks,
    TimeSpan RetransmissionTimeout,
    TimeSpan? SmoothedRtt);
