using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Sender report (RFC 3550 §6.4.1). Profile-specific extensions after the report blocks are ignored.
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    RC   |   PT=SR=200   |             length            |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                         SSRC of sender                        |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// sender |              NTP timestamp, most significant word             |
/// info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |             NTP timestamp, least significant word             |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                         RTP timestamp                         |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                     sender's packet count                     |
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |                      sender's octet count                     |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///        |                 report blocks (RC × 24 bytes)                 |
/// </code>
/// </summary>
internal readonly ref struct RtcpSenderReport
{
    public const int HeaderAndSenderInfoSize = 28;

    private readonly ReadOnlySpan<byte> _payload;

    private RtcpSenderReport(ReadOnlySpan<byte> payload, int reportCount)
    {
        _payload = payload;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    /// <summary>64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low word).</summary>
    public ulong NtpTimestamp => BinaryPrimitives.ReadUInt64BigEndian(_payload[4..]);

    public uint RtpTimestamp => BinaryPrimitives.ReadUInt32BigEndian(_payload[12..]);

    public uint PacketCount => BinaryPrimitives.ReadUInt32BigEndian(_payload[16..]);

    public uint OctetCount => BinaryPrimitives.ReadUInt32BigEndian(_payload[20..]);

    public int ReportCount { get; }

    public RtcpReportBlock GetReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportCount);
        RtcpReportBlock.TryRead(_payload[(24 + (index * RtcpReportBlock.Size))..], out var block, out _);
        return block;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpSenderReport report, out int bytesRead)
    {
        report = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read)
            || packet.PacketType != RtcpPacketType.SenderReport
            || packet.Payload.Length < HeaderAndSenderInfoSize - RtcpHeader.Size + (packet.Count * RtcpReportBlock.Size))
        {
            return false;
        }

        report = new RtcpSenderReport(packet.Payload, packet.Count);
        bytesRead = read;
        return true;
    }

    public static int GetSize(int reportCount) => HeaderAndSenderInfoSize + (reportCount * RtcpReportBlock.Size);

    /// <summary>Writes an SR with up to 31 report blocks.</summary>
    public static bool TryWrite(
        Span<byte> destination,
        uint ssrc,
        ulong ntpTimestamp,
        uint rtpTimestamp,
        uint packetCount,
        uint octetCount,
        ReadOnlySpan<RtcpReportBlock> reportBlocks,
        out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetSize(reportBlocks.Length);
        if (reportBlocks.Length > RtcpHeader.MaxCount || destination.Length < size)
        {
            return false;
        }

        RtcpHeader.Write(destination, (byte)reportBlocks.Length, RtcpPacketType.SenderReport, size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], octetCount);
        for (var i = 0; i < reportBlocks.Length; i++)
        {
            if (!reportBlocks[i].TryWrite(destination[(HeaderAndSenderInfoSize + (i * RtcpReportBlock.Size))..], out _))
            {
                return false;
            }
        }

        bytesWritten = size;
        return true;
    }
}
