using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Goodbye (RFC 3550 §6.6): the sources leaving, and an optional reason.
/// <code>
///        0                   1                   2                   3
///        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |V=2|P|    SC   |   PT=BYE=203  |             length            |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       |                           SSRC/CSRC                           |
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       :                              ...                              :
///       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// (opt) |     length    |               reason for leaving            ...
///       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct RtcpBye
{
    private readonly ReadOnlySpan<byte> _payload;

    private RtcpBye(ReadOnlySpan<byte> payload, int sourceCount, ReadOnlySpan<byte> reason)
    {
        _payload = payload;
        SourceCount = sourceCount;
        Reason = reason;
    }

    public int SourceCount { get; }

    /// <summary>The reason text (UTF-8), empty when absent.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public uint GetSsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SourceCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_payload[(index * 4)..]);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpBye bye, out int bytesRead)
    {
        bye = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read) || packet.PacketType != RtcpPacketType.Goodbye)
        {
            return false;
        }

        var payload = packet.Payload;
        var ssrcBytes = packet.Count * 4;
        if (payload.Length < ssrcBytes)
        {
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        if (payload.Length > ssrcBytes)
        {
            var length = payload[ssrcBytes];
            if (payload.Length - ssrcBytes - 1 < length)
            {
                return false;
            }

            reason = payload.Slice(ssrcBytes + 1, length);
        }

        bye = new RtcpBye(payload, packet.Count, reason);
        bytesRead = read;
        return true;
    }

    public static int GetSize(int sourceCount, int reasonLength) =>
        RtcpHeader.Size + (sourceCount * 4) + (reasonLength == 0 ? 0 : (1 + reasonLength + 3) & ~3);

    /// <summary>Writes a BYE for up to 31 sources with an optional reason (at most 255 bytes).</summary>
    public static bool TryWrite(Span<byte> destination, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetSize(ssrcs.Length, reason.Length);
        if (ssrcs.Length > RtcpHeader.MaxCount || reason.Length > 255 || destination.Length < size)
        {
            return false;
        }

        RtcpHeader.Write(destination, (byte)ssrcs.Length, RtcpPacketType.Goodbye, size);
        var offset = RtcpHeader.Size;
        foreach (var ssrc in ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], ssrc);
            offset += 4;
        }

        if (!reason.IsEmpty)
        {
            destination[offset] = (byte)reason.Length;
            reason.CopyTo(destination[(offset + 1)..]);
            destination[(offset + 1 + reason.Length)..size].Clear();
        }

        bytesWritten = size;
        return true;
    }
}
