using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Full intra request (RFC 5104 §4.3.1): payload-specific feedback (PT 206, FMT 4). The media source SSRC in the
/// common header is 0; each FCI entry names a media sender and carries a command sequence number that the
/// requester increments per new request (repeats of one request keep it).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=4   |    PT=206     |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |  × N
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct RtcpFir
{
    public const int HeaderSize = 12;
    public const int EntrySize = 8;

    private readonly ReadOnlySpan<byte> _payload;

    private RtcpFir(ReadOnlySpan<byte> payload, int entryCount)
    {
        _payload = payload;
        EntryCount = entryCount;
    }

    public uint SenderSsrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    public uint MediaSsrc => BinaryPrimitives.ReadUInt32BigEndian(_payload[4..]);

    public int EntryCount { get; }

    public RtcpFirEntry GetEntry(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, EntryCount);
        var entry = _payload[(8 + (index * EntrySize))..];
        return new RtcpFirEntry(BinaryPrimitives.ReadUInt32BigEndian(entry), entry[4]);
    }

    /// <summary>The entry for <paramref name="mediaSsrc"/>, if the request names it.</summary>
    public bool TryGetEntry(uint mediaSsrc, out RtcpFirEntry entry)
    {
        for (var i = 0; i < EntryCount; i++)
        {
            entry = GetEntry(i);
            if (entry.Ssrc == mediaSsrc)
            {
                return true;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>Reads a FIR; false unless PT 206 FMT 4 with at least one whole entry.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpFir fir, out int bytesRead)
    {
        fir = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read)
            || packet.PacketType != RtcpPacketType.PayloadFeedback
            || packet.Count != RtcpFeedbackFormat.Fir
            || packet.Payload.Length < HeaderSize - RtcpHeader.Size + EntrySize
            || (packet.Payload.Length - 8) % EntrySize != 0)
        {
            return false;
        }

        fir = new RtcpFir(packet.Payload, (packet.Payload.Length - 8) / EntrySize);
        bytesRead = read;
        return true;
    }

    public static int GetSize(int entryCount) => HeaderSize + (entryCount * EntrySize);

    public static bool TryWrite(Span<byte> destination, uint senderSsrc, ReadOnlySpan<RtcpFirEntry> entries, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetSize(entries.Length);
        if (entries.IsEmpty || destination.Length < size || size > ushort.MaxValue * 4)
        {
            return false;
        }

        RtcpHeader.Write(destination, RtcpFeedbackFormat.Fir, RtcpPacketType.PayloadFeedback, size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], 0);
        var offset = HeaderSize;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], entry.Ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], (uint)entry.SequenceNumber << 24);
            offset += EntrySize;
        }

        bytesWritten = size;
        return true;
    }
}
