namespace Starling.Sfu.Buffers;

/// <summary>Outcome of <see cref="PacketBuffer.Add"/>.</summary>
internal enum PacketBufferResult
{
    /// <summary>The packet was copied in.</summary>
    Stored,

    /// <summary>A packet with this extended sequence number is already held; nothing changed.</summary>
    Duplicate,

    /// <summary>Older than the index window (<c>highest − Capacity</c>); nothing changed.</summary>
    TooOld,

    /// <summary>Empty or larger than <see cref="PacketBufferOptions.MaxPacketSize"/>; nothing changed.</summary>
    TooLarge,
}
