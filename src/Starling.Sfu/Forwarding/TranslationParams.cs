namespace Starling.Sfu.Forwarding;

/// <summary>
/// The forwarder's decision for one packet on one down-track: drop it, or send it with these outgoing header
/// values (the SSRC and payload type are the down-track's own and constant).
/// </summary>
internal readonly struct TranslationParams
{
    /// <summary><see cref="DropReason.None"/> when the packet is to be sent.</summary>
    public DropReason DropReason { get; init; }

    /// <summary>True when the packet is not sent.</summary>
    public bool Drop => DropReason != DropReason.None;

    /// <summary>Outgoing extended sequence number (meaningful when not dropped).</summary>
    public long ExtendedSequence { get; init; }

    /// <summary>Outgoing 16-bit sequence number.</summary>
    public ushort Sequence => (ushort)ExtendedSequence;

    /// <summary>Outgoing RTP timestamp.</summary>
    public uint Timestamp { get; init; }

    /// <summary>Outgoing marker bit.</summary>
    public bool Marker { get; init; }

    /// <summary>
    /// This packet (re)starts forwarding from a source: the first packet, a simulcast layer switch, a resume after
    /// pause or mute, or a publisher SSRC change. Sequence and timestamp continue from the previous packet sent.
    /// </summary>
    public bool SwitchedSource { get; init; }

    /// <summary>The publisher should be asked for a keyframe (PLI) on <see cref="KeyframeLayer"/>; already throttled.</summary>
    public bool RequestKeyframe { get; init; }

    /// <summary>The layer to request a keyframe for when <see cref="RequestKeyframe"/> is set.</summary>
    public int KeyframeLayer { get; init; }
}
