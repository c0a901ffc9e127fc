namespace Starling.Sfu.Congestion;

/// <summary>What the delay trend says about the path (the over-use detector's signal).</summary>
internal enum BandwidthUsage
{
    /// <summary>Queuing delay is steady: the path carries what we send.</summary>
    Normal,

    /// <summary>Queuing delay is growing: we send more than the path carries.</summary>
    Overusing,

    /// <summary>Queuing delay is draining.</summary>
    Underusing,
}
