using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Generic NACK (RFC 4585 §6.2.1): transport-layer feedback (PT 205, FMT 1) listing lost RTP packets as
/// PID/BLP pairs: PID is a lost sequence number, bit i of BLP marks PID + i + 1 lost too.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=1   |    PT=205     |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |  × N
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct RtcpNack
{
    public const int HeaderSize = 12;
    public const int PairSize = 4;

    private readonly ReadOnlySpan<byte> _payload;

    private RtcpNack(ReadOnlySpan<byte> payload, int pairCount)
    {
        _payload = payload;
        PairCount = pairCount;
    }

    public uint SenderSsrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    public uint MediaSsrc => BinaryPrimitives.ReadUInt32BigEndian(_payload[4..]);

    public int PairCount { get; }

    public (ushort PacketId, ushort LostBitmask) GetPair(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PairCount);
        var pair = _payload[(8 + (index * PairSize))..];
        return (BinaryPrimitives.ReadUInt16BigEndian(pair), BinaryPrimitives.ReadUInt16BigEndian(pair[2..]));
    }

    /// <summary>Every lost sequence number, in wire order.</summary>
    public RtcpNackEnumerator GetLostSequenceNumbers() => new(_payload.Slice(8, PairCount * PairSize));

    /// <summary>Reads a NACK; false unless PT 205 FMT 1 with at least one pair (trailing partial words are ignored).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpNack nack, out int bytesRead)
    {
        nack = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read)
            || packet.PacketType != RtcpPacketType.TransportFeedback
            || packet.Count != RtcpFeedbackFormat.Nack
            || packet.Payload.Length < HeaderSize - RtcpHeader.Size + PairSize)
        {
            return false;
        }

        nack = new RtcpNack(packet.Payload, (packet.Payload.Length - 8) / PairSize);
        bytesRead = read;
        return true;
    }

    /// <summary>Size of the NACK <see cref="TryWrite"/> writes for <paramref name="lostSequenceNumbers"/>.</summary>
    public static int GetSize(ReadOnlySpan<ushort> lostSequenceNumbers) => HeaderSize + (CountPairs(lostSequenceNumbers) * PairSize);

    /// <summary>
    /// Writes a NACK for <paramref name="lostSequenceNumbers"/>. Any order is correct; ascending order (in RTP
    /// sequence arithmetic) packs up to 17 losses per pair. False for an empty list or a short buffer.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lostSequenceNumbers, out int bytesWritten)
    {
        bytesWritten = 0;
        var pairs = CountPairs(lostSequenceNumbers);
        var size = HeaderSize + (pairs * PairSize);
        if (pairs == 0 || destination.Length < size || size > ushort.MaxValue * 4)
        {
            return false;
        }

        RtcpHeader.Write(destination, RtcpFeedbackFormat.Nack, RtcpPacketType.TransportFeedback, size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        var offset = HeaderSize;
        var pid = lostSequenceNumbers[0];
        ushort blp = 0;
        for (var i = 1; i < lostSequenceNumbers.Length; i++)
        {
            var distance = (ushort)(lostSequenceNumbers[i] - pid);
            if (distance is >= 1 and <= 16)
            {
                blp |= (ushort)(1 << (distance - 1));
                continue;
            }

            WritePair(destination[offset..], pid, blp);
            offset += PairSize;
            pid = lostSequenceNumbers[i];
            blp = 0;
        }

        WritePair(destination[offset..], pid, blp);
        bytesWritten = size;
        return true;
    }

    private static int CountPairs(ReadOnlySpan<ushort> lost)
    {
        if (lost.IsEmpty)
        {
            return 0;
        }

        var pairs = 1;
        var pid = lost[0];
        for (var i = 1; i < lost.Length; i++)
        {
            if ((ushort)(lost[i] - pid) is < 1 or > 16)
            {
                pairs++;
                pid = lost[i];
            }
        }

        return pairs;
    }

    private static void WritePair(Span<byte> destination, ushort pid, ushort blp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, pid);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], blp);
    }
}
