using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
/// transport-layer feedback (PT 205, FMT 15) reporting, for a range of transport-wide sequence numbers, which
/// packets arrived and when.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=15 |    PT=205     |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      SSRC of media source                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      base sequence number     |      packet status count      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 reference time                | fb pkt. count |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          packet chunk         |         packet chunk          |
/// .                                                               .
/// |         packet chunk          |  recv delta   |  recv delta   |
/// .                                                               .
/// |           recv delta          |  recv delta   | zero padding  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// run length chunk (§3.1.3)         status vector chunk (§3.1.4)
/// |T=0| S |    run length (13)  |   |T=1|S|   symbol list (14)    |
///                                   S=0: 14 × 1 bit (0 lost, 1 small delta)
///                                   S=1:  7 × 2 bits (00 lost, 01 small, 10 large/negative, 11 reserved)
/// </code>
/// The reference time is a signed 24-bit count of 64 ms; receive deltas are in 250 µs (one byte unsigned for
/// "small", two bytes signed for "large"), each relative to the previous received packet, the first relative
/// to the reference time (§3.1.5).
/// </summary>
internal readonly ref struct RtcpTransportCc
{
    public const int HeaderSize = 20;
    public const int DeltaUnitMicroseconds = 250;
    public const int ReferenceTimeUnitMicroseconds = 64_000;
    public const int MaxRunLength = 0x1FFF;

    private const int FixedPayloadSize = HeaderSize - RtcpHeader.Size;

    private readonly ReadOnlySpan<byte> _payload;
    private readonly int _deltaStart;

    private RtcpTransportCc(ReadOnlySpan<byte> payload, int deltaStart, int receivedCount)
    {
        _payload = payload;
        _deltaStart = deltaStart;
        ReceivedCount = receivedCount;
    }

    public uint SenderSsrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    public uint MediaSsrc => BinaryPrimitives.ReadUInt32BigEndian(_payload[4..]);

    public ushort BaseSequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_payload[8..]);

    public ushort PacketStatusCount => BinaryPrimitives.ReadUInt16BigEndian(_payload[10..]);

    /// <summary>Signed 24-bit reference time in multiples of 64 ms.</summary>
    public int ReferenceTime => (int)(BinaryPrimitives.ReadUInt32BigEndian(_payload[12..]) & 0xFFFFFF00) >> 8;

    public long ReferenceTimeMicroseconds => (long)ReferenceTime * ReferenceTimeUnitMicroseconds;

    /// <summary>The feedback packet count: increments per feedback sent, so the media sender can spot lost feedback.</summary>
    public byte FeedbackPacketCount => _payload[15];

    /// <summary>How many of the <see cref="PacketStatusCount"/> packets were received.</summary>
    public int ReceivedCount { get; }

    /// <summary>Every reported packet: sequence number, status, delta and arrival time.</summary>
    public TransportCcEnumerator GetPackets() =>
        new(_payload, FixedPayloadSize, _deltaStart, PacketStatusCount, BaseSequenceNumber, ReferenceTimeMicroseconds);

    /// <summary>
    /// Reads a transport-cc feedback; false unless PT 205 FMT 15 with at least one status, chunks covering the
    /// status count, no reserved symbol (11) among the used ones, and every receive delta present.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpTransportCc feedback, out int bytesRead)
    {
        feedback = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read)
            || packet.PacketType != RtcpPacketType.TransportFeedback
            || packet.Count != RtcpFeedbackFormat.TransportCc
            || packet.Payload.Length < FixedPayloadSize)
        {
            return false;
        }

        var payload = packet.Payload;
        int remaining = BinaryPrimitives.ReadUInt16BigEndian(payload[10..]);
        if (remaining == 0)
        {
            return false;
        }

        var offset = FixedPayloadSize;
        var deltaBytes = 0;
        var received = 0;
        while (remaining > 0)
        {
            if (payload.Length - offset < 2)
            {
                return false;
            }

            var chunk = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
            offset += 2;
            var used = Math.Min(GetChunkCapacity(chunk), remaining);
            for (var i = 0; i < used; i++)
            {
                var symbol = GetChunkSymbol(chunk, i);
                if (symbol == 3)
                {
                    return false;
                }

                if (symbol != 0)
                {
                    received++;
                    deltaBytes += symbol;
                }
            }

            remaining -= used;
        }

        if (payload.Length - offset < deltaBytes)
        {
            return false;
        }

        feedback = new RtcpTransportCc(payload, offset, received);
        bytesRead = read;
        return true;
    }

    /// <summary>Largest gap from the base sequence number to the first arrival that one feedback reports as lost.</summary>
    public const int MaxLeadingLosses = 0x7FFE;

    /// <summary>Size of the feedback <see cref="TryWrite(Span{byte}, uint, uint, byte, ReadOnlySpan{TransportCcArrival}, out int, out int)"/>
    /// writes when all of <paramref name="arrivals"/> fit (0 for none).</summary>
    public static int GetSize(ReadOnlySpan<TransportCcArrival> arrivals) =>
        arrivals.IsEmpty ? 0 : GetSize(arrivals[0].SequenceNumber, arrivals);

    /// <summary>Size of the feedback that starts at <paramref name="baseSequenceNumber"/> when all of <paramref name="arrivals"/> fit (0 for none).</summary>
    public static int GetSize(ushort baseSequenceNumber, ReadOnlySpan<TransportCcArrival> arrivals)
    {
        var count = GetEncodableCount(baseSequenceNumber, arrivals, out var referenceTicks);
        return count == 0 ? 0 : Encode(default, baseSequenceNumber, arrivals[..count], referenceTicks, write: false);
    }

    /// <summary>
    /// Builds a feedback from packets received, sorted by transport-wide sequence number (RTP sequence arithmetic;
    /// gaps are reported as lost). Writes the longest prefix of <paramref name="arrivals"/> that the format allows
    /// (receive deltas within ±8.19 s, no duplicates or reordering, at most 65535 statuses) and that fits
    /// <paramref name="destination"/>; <paramref name="arrivalsWritten"/> says how many, so the caller continues
    /// with the rest in the next feedback. The reference time is the first arrival rounded down to 64 ms.
    /// Deltas are rounded to 250 µs without drift (each is measured from the previous rounded arrival), and the
    /// packet is padded to 32 bits with RTCP padding (P bit and count), as libwebrtc does.
    /// </summary>
    public static bool TryWrite(
        Span<byte> destination,
        uint senderSsrc,
        uint mediaSsrc,
        byte feedbackPacketCount,
        ReadOnlySpan<TransportCcArrival> arrivals,
        out int bytesWritten,
        out int arrivalsWritten)
    {
        if (arrivals.IsEmpty)
        {
            bytesWritten = 0;
            arrivalsWritten = 0;
            return false;
        }

        return TryWrite(destination, senderSsrc, mediaSsrc, feedbackPacketCount, arrivals[0].SequenceNumber, arrivals, out bytesWritten, out arrivalsWritten);
    }

    /// <summary>
    /// As <see cref="TryWrite(Span{byte}, uint, uint, byte, ReadOnlySpan{TransportCcArrival}, out int, out int)"/>, but the
    /// feedback starts at <paramref name="baseSequenceNumber"/>: the packets from there up to the first arrival are
    /// reported as not received (a receiver continues where its previous feedback ended, so losses at the boundary
    /// are reported too). False when the first arrival is before the base or more than
    /// <see cref="MaxLeadingLosses"/> after it.
    /// </summary>
    public static bool TryWrite(
        Span<byte> destination,
        uint senderSsrc,
        uint mediaSsrc,
        byte feedbackPacketCount,
        ushort baseSequenceNumber,
        ReadOnlySpan<TransportCcArrival> arrivals,
        out int bytesWritten,
        out int arrivalsWritten)
    {
        bytesWritten = 0;
        arrivalsWritten = 0;
        var count = GetEncodableCount(baseSequenceNumber, arrivals, out var referenceTicks);
        if (count == 0)
        {
            return false;
        }

        if (Encode(default, baseSequenceNumber, arrivals[..count], referenceTicks, write: false) > destination.Length)
        {
            // Find a prefix that fits; the size grows with the prefix, so a binary search will do.
            var low = 0;
            var high = count;
            while (low < high)
            {
                var middle = (low + high + 1) / 2;
                if (Encode(default, baseSequenceNumber, arrivals[..middle], referenceTicks, write: false) <= destination.Length)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            count = low;
            if (count == 0)
            {
                return false;
            }
        }

        var size = Encode(destination, baseSequenceNumber, arrivals[..count], referenceTicks, write: true);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], baseSequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], GetStatusCount(baseSequenceNumber, arrivals[..count]));
        // Only the low 24 bits of the reference time go on the wire; deltas are relative, so the wrap does not matter.
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], ((uint)referenceTicks << 8) | feedbackPacketCount);
        bytesWritten = size;
        arrivalsWritten = count;
        return true;
    }

    /// <summary>Statuses a chunk holds: the run length, 14 one-bit or 7 two-bit symbols.</summary>
    internal static int GetChunkCapacity(ushort chunk) =>
        (chunk & 0x8000) == 0 ? chunk & MaxRunLength : (chunk & 0x4000) == 0 ? 14 : 7;

    /// <summary>The status symbol at <paramref name="index"/> in a chunk (0 lost, 1 small, 2 large, 3 reserved).</summary>
    internal static int GetChunkSymbol(ushort chunk, int index) =>
        (chunk & 0x8000) == 0 ? (chunk >> 13) & 0x3
        : (chunk & 0x4000) == 0 ? (chunk >> (13 - index)) & 0x1
        : (chunk >> (12 - (2 * index))) & 0x3;

    /// <summary>A time difference in 250 µs ticks, rounded half away from zero (as libwebrtc).</summary>
    internal static long ToTicks(long microseconds) =>
        (microseconds + (microseconds < 0 ? -(DeltaUnitMicroseconds / 2) : DeltaUnitMicroseconds / 2)) / DeltaUnitMicroseconds;

    private static ushort GetStatusCount(ushort baseSequenceNumber, ReadOnlySpan<TransportCcArrival> arrivals) =>
        (ushort)(arrivals[^1].SequenceNumber - baseSequenceNumber + 1);

    /// <summary>How many leading arrivals one feedback can carry, and the reference time (in 64 ms) they use.</summary>
    private static int GetEncodableCount(ushort baseSequenceNumber, ReadOnlySpan<TransportCcArrival> arrivals, out long referenceTicks)
    {
        referenceTicks = 0;
        if (arrivals.IsEmpty || (ushort)(arrivals[0].SequenceNumber - baseSequenceNumber) > MaxLeadingLosses)
        {
            return 0;
        }

        referenceTicks = FloorDiv(arrivals[0].ArrivalMicroseconds, ReferenceTimeUnitMicroseconds);
        var last = referenceTicks * ReferenceTimeUnitMicroseconds;
        var statuses = 0;
        for (var i = 0; i < arrivals.Length; i++)
        {
            var step = i == 0
                ? (ushort)(arrivals[0].SequenceNumber - baseSequenceNumber) + 1
                : (ushort)(arrivals[i].SequenceNumber - arrivals[i - 1].SequenceNumber);
            var ticks = ToTicks(arrivals[i].ArrivalMicroseconds - last);
            if (step is 0 or > 0x7FFF || statuses + step > ushort.MaxValue || ticks is < short.MinValue or > short.MaxValue)
            {
                return i;
            }

            statuses += step;
            last += ticks * DeltaUnitMicroseconds;
        }

        return arrivals.Length;
    }

    /// <summary>
    /// Encodes the chunks and deltas (and, when <paramref name="write"/>, the RTCP header and padding) and returns
    /// the packet size. Greedy chunking: a run of 14+ equal symbols → run length chunk; else 14 symbols without a
    /// large delta → one-bit vector; else a run of 7+ → run length chunk; else a two-bit vector of 7.
    /// </summary>
    private static int Encode(Span<byte> destination, ushort baseSequenceNumber, ReadOnlySpan<TransportCcArrival> arrivals, long referenceTicks, bool write)
    {
        int statusCount = GetStatusCount(baseSequenceNumber, arrivals);
        var reference = referenceTicks * ReferenceTimeUnitMicroseconds;
        var cursor = new TransportCcSymbolCursor(arrivals, baseSequenceNumber, statusCount, reference);
        var offset = HeaderSize;
        while (cursor.Remaining > 0)
        {
            var look = cursor;
            look.Next(out var first, out _);
            var run = 1;
            while (run < MaxRunLength && look.Next(out var symbol, out _) && symbol == first)
            {
                run++;
            }

            var vector = cursor;
            var vectorLength = 0;
            var anyLarge = false;
            while (vectorLength < 14 && vector.Next(out var symbol, out _))
            {
                vectorLength++;
                anyLarge |= symbol == 2;
            }

            ushort chunk;
            int consumed;
            if (run >= 14 || (anyLarge && run >= 7))
            {
                chunk = (ushort)((first << 13) | run);
                consumed = run;
            }
            else if (!anyLarge)
            {
                chunk = 0x8000;
                consumed = vectorLength;
                var bits = cursor;
                for (var i = 0; i < consumed; i++)
                {
                    bits.Next(out var symbol, out _);
                    chunk |= (ushort)(symbol << (13 - i));
                }
            }
            else
            {
                chunk = 0xC000;
                consumed = Math.Min(7, cursor.Remaining);
                var bits = cursor;
                for (var i = 0; i < consumed; i++)
                {
                    bits.Next(out var symbol, out _);
                    chunk |= (ushort)(symbol << (12 - (2 * i)));
                }
            }

            if (write)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], chunk);
            }

            offset += 2;
            cursor.Skip(consumed);
        }

        var deltas = new TransportCcSymbolCursor(arrivals, baseSequenceNumber, statusCount, reference);
        while (deltas.Next(out var symbol, out var ticks))
        {
            if (symbol == 1)
            {
                if (write)
                {
                    destination[offset] = (byte)ticks;
                }

                offset++;
            }
            else if (symbol == 2)
            {
                if (write)
                {
                    BinaryPrimitives.WriteInt16BigEndian(destination[offset..], (short)ticks);
                }

                offset += 2;
            }
        }

        var padding = (4 - (offset % 4)) % 4;
        var size = offset + padding;
        if (write)
        {
            if (padding > 0)
            {
                destination.Slice(offset, padding - 1).Clear();
                destination[size - 1] = (byte)padding;
            }

            RtcpHeader.Write(destination, RtcpFeedbackFormat.TransportCc, RtcpPacketType.TransportFeedback, size, padding > 0);
        }

        return size;
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }
}
