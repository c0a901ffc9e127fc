using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// The common RTCP header (RFC 3550 §6.4.1; feedback FMT in RFC 4585 §6.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| RC/FMT  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="Length"/> is the packet's size in 32-bit words minus one (header and padding included).
/// </summary>
internal readonly record struct RtcpHeader(bool Padding, byte Count, byte PacketType, ushort Length)
{
    public const int Size = 4;
    public const int Version = 2;
    public const int MaxCount = 31;

    /// <summary>The whole packet's size in bytes: (<see cref="Length"/> + 1) × 4.</summary>
    public int PacketSize => (Length + 1) * 4;

    /// <summary>Reads the 4 bytes (version must be 2); does not check that the packet fits.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpHeader header, out int bytesRead)
    {
        if (source.Length < Size || source[0] >> 6 != Version)
        {
            header = default;
            bytesRead = 0;
            return false;
        }

        header = new RtcpHeader((source[0] & 0x20) != 0, (byte)(source[0] & 0x1F), source[1], BinaryPrimitives.ReadUInt16BigEndian(source[2..]));
        bytesRead = Size;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Size || Count > MaxCount)
        {
            return false;
        }

        destination[0] = (byte)((Version << 6) | (Padding ? 0x20 : 0) | Count);
        destination[1] = PacketType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Length);
        bytesWritten = Size;
        return true;
    }

    /// <summary>Writes the header of a packet of <paramref name="packetSize"/> bytes (a multiple of 4, at most 256 KiB).</summary>
    internal static void Write(Span<byte> destination, byte count, byte packetType, int packetSize, bool padding = false) =>
        new RtcpHeader(padding, count, packetType, (ushort)((packetSize / 4) - 1)).TryWrite(destination, out _);
}
