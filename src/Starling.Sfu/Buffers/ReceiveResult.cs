namespace Starling.Sfu.Buffers;

/// <summary>What <see cref="ReceiveStream.Receive"/> made of a packet.</summary>
internal enum ReceiveResult
{
    /// <summary>First copy of this packet: forward it.</summary>
    New,

    /// <summary>Already received (a duplicate or a redundant retransmission): do not forward.</summary>
    Duplicate,

    /// <summary>Older than the history window: do not forward.</summary>
    TooOld,

    /// <summary>The stream was disposed (its track is gone).</summary>
    Closed,
}
