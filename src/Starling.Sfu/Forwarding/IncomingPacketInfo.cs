namespace Starling.Sfu.Forwarding;

/// <summary>
/// What the forwarder needs to know about one received RTP packet, already unwrapped by its
/// <see cref="Buffers.ReceiveStream"/>. No bytes: the decision is made on metadata only.
/// </summary>
internal readonly struct IncomingPacketInfo
{
    /// <summary>The publisher's SSRC of the stream the packet arrived on.</summary>
    public uint Ssrc { get; init; }

    /// <summary>Simulcast (spatial) layer of that stream, 0 = lowest.</summary>
    public int Layer { get; init; }

    /// <summary>Extended (64-bit) sequence number in the stream's own sequence space.</summary>
    public long ExtendedSequence { get; init; }

    /// <summary>Extended (64-bit) RTP timestamp in the stream's own timestamp space.</summary>
    public long ExtendedTimestamp { get; init; }

    /// <summary>RTP marker bit (last packet of a video frame).</summary>
    public bool Marker { get; init; }

    /// <summary>The packet starts a keyframe (codec-specific detection, e.g. VP8 P bit = 0 on the first partition).</summary>
    public bool IsKeyframe { get; init; }

    /// <summary>Payload bytes after header, extensions and padding; 0 for padding-only packets.</summary>
    public int PayloadLength { get; init; }
}
