namespace Starling.Sfu.Forwarding;

/// <summary>Why <see cref="Forwarder.GetTranslationParams"/> dropped a packet (<see cref="None"/>: it is forwarded).</summary>
internal enum DropReason
{
    /// <summary>Forwarded.</summary>
    None,

    /// <summary>The down-track is paused (subscriber disabled it, publisher muted, or no target layer).</summary>
    Paused,

    /// <summary>The packet belongs to a layer that is neither current nor the target.</summary>
    LayerNotSelected,

    /// <summary>The packet is on the target layer but forwarding can only (re)start at a keyframe.</summary>
    WaitingForKeyframe,

    /// <summary>The packet carries only padding (e.g. a bandwidth probe); it takes no outgoing sequence number.</summary>
    PaddingOnly,

    /// <summary>This packet was already forwarded.</summary>
    Duplicate,

    /// <summary>A late packet whose mapping is unknown: from before the current source started, a dropped one, or too old.</summary>
    OutOfWindow,
}
