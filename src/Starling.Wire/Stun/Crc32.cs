namespace Starling.Wire.Stun;

/// <summary>
/// CRC-32 as in ISO/IEC 13239 / ITU-T V.42 / IEEE 802.3 (reflected polynomial 0xEDB88320, init and final xor
/// 0xFFFFFFFF), which RFC 8489 §14.7 uses for FINGERPRINT. Table-driven, allocation-free.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        var table = Table;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
