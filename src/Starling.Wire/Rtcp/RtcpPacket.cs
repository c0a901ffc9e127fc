namespace Starling.Wire.Rtcp;

/// <summary>
/// One RTCP packet inside a (possibly compound) datagram (RFC 3550 §6.4): the header, the packet's bytes and its
/// payload after the 4-byte header with any padding removed (RFC 3550 §6.4.1, P bit).
/// <code>
/// |V=2|P| RC/FMT  |      PT       |             length            |
/// |                    payload ((length) × 4 bytes) ...           |
/// |                                   ... padding | padding count |  P = 1
/// </code>
/// Use the type-specific readers (<see cref="RtcpSenderReport"/>, <see cref="RtcpNack"/>, …) on <see cref="Span"/>.
/// </summary>
internal readonly ref struct RtcpPacket
{
    private RtcpPacket(RtcpHeader header, ReadOnlySpan<byte> span, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Span = span;
        Payload = payload;
    }

    public RtcpHeader Header { get; }

    /// <summary>The whole packet: header, payload and padding.</summary>
    public ReadOnlySpan<byte> Span { get; }

    /// <summary>After the 4-byte header, without padding.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    public byte PacketType => Header.PacketType;

    /// <summary>The 5-bit RC / SC / FMT field.</summary>
    public byte Count => Header.Count;

    /// <summary>
    /// Reads the packet at the front of <paramref name="source"/>. False when the header is short or not version 2,
    /// the length runs past the source, or the padding count is 0 or larger than the payload.
    /// <paramref name="bytesRead"/> is the packet's size, so compound packets can be walked
    /// (see <see cref="RtcpCompoundReader"/>).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpPacket packet, out int bytesRead)
    {
        packet = default;
        bytesRead = 0;
        if (!RtcpHeader.TryRead(source, out var header, out _))
        {
            return false;
        }

        var size = header.PacketSize;
        if (source.Length < size)
        {
            return false;
        }

        var payloadEnd = size;
        if (header.Padding)
        {
            var padding = source[size - 1];
            if (padding == 0 || padding > size - RtcpHeader.Size)
            {
                return false;
            }

            payloadEnd -= padding;
        }

        packet = new RtcpPacket(header, source[..size], source[RtcpHeader.Size..payloadEnd]);
        bytesRead = size;
        return true;
    }
}
