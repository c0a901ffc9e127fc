using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Receiver report (RFC 3550 §6.4.2). Profile-specific extensions after the report blocks are ignored.
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    RC   |   PT=RR=201   |             length            |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                     SSRC of packet sender                     |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///        |                 report blocks (RC × 24 bytes)                 |
/// </code>
/// </summary>
internal readonly ref struct RtcpReceiverReport
{
    public const int HeaderSize = 8;

    private readonly ReadOnlySpan<byte> _payload;

    private RtcpReceiverReport(ReadOnlySpan<byte> payload, int reportCount)
    {
        _payload = payload;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    public int ReportCount { get; }

    public RtcpReportBlock GetReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportCount);
        RtcpReportBlock.TryRead(_payload[(4 + (index * RtcpReportBlock.Size))..], out var block, out _);
        return block;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpReceiverReport report, out int bytesRead)
    {
        report = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read)
            || packet.PacketType != RtcpPacketType.ReceiverReport
            || packet.Payload.Length < HeaderSize - RtcpHeader.Size + (packet.Count * RtcpReportBlock.Size))
        {
            return false;
        }

        report = new RtcpReceiverReport(packet.Payload, packet.Count);
        bytesRead = read;
        return true;
    }

    public static int GetSize(int reportCount) => HeaderSize + (reportCount * RtcpReportBlock.Size);

    /// <summary>Writes an RR with up to 31 report blocks (none is valid: an empty RR heads a compound packet).</summary>
    public static bool TryWrite(Span<byte> destination, uint ssrc, ReadOnlySpan<RtcpReportBlock> reportBlocks, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetSize(reportBlocks.Length);
        if (reportBlocks.Length > RtcpHeader.MaxCount || destination.Length < size)
        {
            return false;
        }

        RtcpHeader.Write(destination, (byte)reportBlocks.Length, RtcpPacketType.ReceiverReport, size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        for (var i = 0; i < reportBlocks.Length; i++)
        {
            if (!reportBlocks[i].TryWrite(destination[(HeaderSize + (i * RtcpReportBlock.Size))..], out _))
            {
                return false;
            }
        }

        bytesWritten = size;
        return true;
    }
}
