using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Source description (RFC 3550 §6.5); WebRTC sends one CNAME chunk per stream.
/// <code>
///         0                   1                   2                   3
///         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// header |V=2|P|    SC   |  PT=SDES=202  |             length            |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// chunk  |                          SSRC/CSRC_1                          |
///   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |    CNAME=1    |     length    | user and domain name        ...
///        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///        |  ... items ...  |  0 (end)  | null padding to 32 bits         |
///        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// <see cref="TryRead"/> walks every chunk, so enumeration afterwards never reports a malformed chunk.
/// </summary>
internal readonly ref struct RtcpSdes
{
    private readonly ReadOnlySpan<byte> _payload;

    private RtcpSdes(ReadOnlySpan<byte> payload, int chunkCount)
    {
        _payload = payload;
        ChunkCount = chunkCount;
    }

    public int ChunkCount { get; }

    public RtcpSdesItemEnumerator GetItems() => new(_payload, ChunkCount);

    /// <summary>The first CNAME (for <paramref name="ssrc"/>, or any SSRC when null).</summary>
    public bool TryGetCname(uint? ssrc, out ReadOnlySpan<byte> cname)
    {
        foreach (var item in GetItems())
        {
            if (item.Type == RtcpSdesItem.Cname && (ssrc is null || ssrc == item.Ssrc))
            {
                cname = item.Text;
                return true;
            }
        }

        cname = default;
        return false;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpSdes sdes, out int bytesRead)
    {
        sdes = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read) || packet.PacketType != RtcpPacketType.SourceDescription)
        {
            return false;
        }

        var items = new RtcpSdesItemEnumerator(packet.Payload, packet.Count);
        while (items.MoveNext())
        {
        }

        if (items.IsMalformed)
        {
            return false;
        }

        sdes = new RtcpSdes(packet.Payload, packet.Count);
        bytesRead = read;
        return true;
    }

    /// <summary>Size of an SDES packet with one chunk holding one CNAME of <paramref name="cnameLength"/> bytes.</summary>
    public static int GetCnameSize(int cnameLength) => RtcpHeader.Size + 4 + ((2 + cnameLength + 4) & ~3);

    /// <summary>Writes an SDES packet with one chunk: <paramref name="ssrc"/> and its CNAME (1–255 bytes).</summary>
    public static bool TryWriteCname(Span<byte> destination, uint ssrc, ReadOnlySpan<byte> cname, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetCnameSize(cname.Length);
        if (cname.IsEmpty || cname.Length > 255 || destination.Length < size)
        {
            return false;
        }

        RtcpHeader.Write(destination, 1, RtcpPacketType.SourceDescription, size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = RtcpSdesItem.Cname;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination[10..]);
        destination[(10 + cname.Length)..size].Clear();
        bytesWritten = size;
        return true;
    }
}
