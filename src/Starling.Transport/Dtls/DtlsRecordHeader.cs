using System.Buffers.Binary;

namespace Starling.Transport.Dtls;

/// <summary>
/// The DTLS record header (RFC 6347 §4.1), used to split datagrams into records and to drop garbage before
/// it reaches the DTLS stack:
/// <code>
///  0               1               2               3
/// +---------------+-------------------------------+---------------+
/// | content type  |   version (0xFEFF / 0xFEFD)   |    epoch ...  |
/// +---------------+-------------------------------+---------------+
/// | ... epoch     |          sequence number (48 bits) ...        |
/// +---------------+-----------------------------------------------+
/// |          ... sequence number              |      length       |
/// +-------------------------------------------+-------------------+
/// |   fragment (length bytes)  ...                                |
/// </code>
/// </summary>
internal static class DtlsRecordHeader
{
    public const int Length = 13;

    /// <summary>
    /// Reads the first record of <paramref name="datagram"/>: true with its total length when the header is
    /// plausible (content type 20..24, DTLS 1.0 or 1.2 version, fragment inside the datagram).
    /// </summary>
    public static bool TryReadRecord(ReadOnlySpan<byte> datagram, out int recordLength)
    {
        recordLength = 0;
        if (datagram.Length < Length)
        {
            return false;
        }

        var contentType = datagram[0];
        if (contentType is < 20 or > 24 || datagram[1] != 0xFE || (datagram[2] != 0xFF && datagram[2] != 0xFD))
        {
            return false;
        }

        var total = Length + BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(11, 2));
        if (total > datagram.Length)
        {
            return false;
        }

        recordLength = total;
        return true;
    }
}
