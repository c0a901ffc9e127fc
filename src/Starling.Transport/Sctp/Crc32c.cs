using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace Starling.Transport.Sctp;

/// <summary>
/// CRC32c (Castagnoli, reflected polynomial 0x82F63B78) as used by the SCTP common header checksum
/// (RFC 9260 §6.8 and Appendix A; test vectors in RFC 3720 §B.4).
/// The table-driven path is the reference; an SSE4.2 path is used when the CPU has it. Both are allocation-free.
/// </summary>
internal static class Crc32c
{
    private const uint Polynomial = 0x82F63B78;

    // Slicing-by-4 tables: _table[0] is the classic byte table, _table[k][b] advances k more zero bytes.
    private static readonly uint[] Table = BuildTable();

    /// <summary>Computes the standard CRC32c (init 0xFFFFFFFF, final xor 0xFFFFFFFF) of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFF, data);

    /// <summary>The table-driven implementation regardless of CPU support (tests compare both paths).</summary>
    public static uint ComputeTableDriven(ReadOnlySpan<byte> data) => ~UpdateTable(0xFFFFFFFF, data);

    /// <summary>Continues a running (non-finalized) CRC over more bytes.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            while (data.Length >= 8)
            {
                crc = (uint)Sse42.X64.Crc32(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        return UpdateTable(crc, data);
    }

    /// <summary>
    /// Computes the SCTP packet checksum: CRC32c over the whole packet with the checksum field (bytes 8..11)
    /// taken as zero, without copying the packet.
    /// </summary>
    public static uint ComputeSctpChecksum(ReadOnlySpan<byte> packet)
    {
        ReadOnlySpan<byte> zeros = [0, 0, 0, 0];
        var crc = Update(0xFFFFFFFF, packet[..8]);
        crc = Update(crc, zeros);
        crc = Update(crc, packet[12..]);
        return ~crc;
    }

    private static uint UpdateTable(uint crc, ReadOnlySpan<byte> data)
    {
        var t = Table;
        while (data.Length >= 4)
        {
            crc ^= BinaryPrimitives.ReadUInt32LittleEndian(data);
            crc = t[768 + (int)(crc & 0xFF)]
                ^ t[512 + (int)((crc >> 8) & 0xFF)]
                ^ t[256 + (int)((crc >> 16) & 0xFF)]
                ^ t[(int)(crc >> 24)];
            data = data[4..];
        }

        foreach (var b in data)
        {
            crc = t[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[4 * 256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        for (var i = 0; i < 256; i++)
        {
            for (var k = 1; k < 4; k++)
            {
                var prev = table[((k - 1) * 256) + i];
                table[(k * 256) + i] = table[(int)(prev & 0xFF)] ^ (prev >> 8);
            }
        }

        return table;
    }
}
