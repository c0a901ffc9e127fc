using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 §2.2): application-layer feedback
/// (PT 206, FMT 15) with the identifier "REMB"; the bitrate is mantissa × 2^exp bits per second.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=15  |   PT=206      |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   SSRC feedback                                               |  × Num SSRC
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct RtcpRemb
{
    public const int HeaderSize = 20;
    public const uint Identifier = 0x52454D42; // "REMB"
    public const uint MaxMantissa = 0x3FFFF;

    private readonly ReadOnlySpan<byte> _payload;

    private RtcpRemb(ReadOnlySpan<byte> payload, int ssrcCount, ulong bitrate)
    {
        _payload = payload;
        SsrcCount = ssrcCount;
        Bitrate = bitrate;
    }

    public uint SenderSsrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    /// <summary>Estimated maximum bitrate in bits per second.</summary>
    public ulong Bitrate { get; }

    public int SsrcCount { get; }

    public uint GetSsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_payload[(16 + (index * 4))..]);
    }

    /// <summary>Reads a REMB; false for other application-layer feedback, a short SSRC list or a bitrate above 2^64.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpRemb remb, out int bytesRead)
    {
        remb = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read)
            || packet.PacketType != RtcpPacketType.PayloadFeedback
            || packet.Count != RtcpFeedbackFormat.ApplicationLayer)
        {
            return false;
        }

        var payload = packet.Payload;
        if (payload.Length < HeaderSize - RtcpHeader.Size || BinaryPrimitives.ReadUInt32BigEndian(payload[8..]) != Identifier)
        {
            return false;
        }

        var count = payload[12];
        var exponent = payload[13] >> 2;
        var mantissa = ((ulong)(payload[13] & 0x03) << 16) | BinaryPrimitives.ReadUInt16BigEndian(payload[14..]);
        var bitrate = mantissa << exponent;
        if (payload.Length - 16 < count * 4 || bitrate >> exponent != mantissa)
        {
            return false;
        }

        remb = new RtcpRemb(payload, count, bitrate);
        bytesRead = read;
        return true;
    }

    public static int GetSize(int ssrcCount) => HeaderSize + (ssrcCount * 4);

    /// <summary>
    /// Splits <paramref name="bitrate"/> into an 18-bit mantissa and 6-bit exponent, rounding down (never
    /// announcing more than the estimate).
    /// </summary>
    public static (byte Exponent, uint Mantissa) Encode(ulong bitrate)
    {
        byte exponent = 0;
        while (bitrate >> exponent > MaxMantissa)
        {
            exponent++;
        }

        return (exponent, (uint)(bitrate >> exponent));
    }

    /// <summary>Writes a REMB for up to 255 SSRCs; the media source field is 0.</summary>
    public static bool TryWrite(Span<byte> destination, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetSize(ssrcs.Length);
        if (ssrcs.Length > 255 || destination.Length < size)
        {
            return false;
        }

        var (exponent, mantissa) = Encode(bitrate);
        RtcpHeader.Write(destination, RtcpFeedbackFormat.ApplicationLayer, RtcpPacketType.PayloadFeedback, size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Identifier);
        destination[16] = (byte)ssrcs.Length;
        destination[17] = (byte)((exponent << 2) | (byte)(mantissa >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], (ushort)mantissa);
        for (var i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(HeaderSize + (i * 4))..], ssrcs[i]);
        }

        bytesWritten = size;
        return true;
    }
}
