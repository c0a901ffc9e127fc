using System.Buffers.Binary;

namespace Starling.Transport.Srtp;

/// <summary>
/// The parts of RTP/RTCP headers SRTP needs: which bytes stay in clear, the SSRC and the sequence number.
/// </summary>
/// <remarks>
/// RTP fixed header (RFC 3550 §5.1), followed by CC CSRCs and, when X is set, one header extension
/// (RFC 3550 §5.3.1; RFC 8285 one- and two-byte forms share this outer layout):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers × CC        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |  length (32-bit words)        |
/// |                        header extension ...                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// SRTCP keeps the first 8 bytes of the compound packet in clear (RFC 3711 §3.4):
/// <code>
/// |V=2|P|    RC   |   PT          |             length            |
/// |                         SSRC of sender                        |
/// </code>
/// </remarks>
internal static class SrtpPacketLayout
{
    public const int RtpFixedHeaderLength = 12;
    public const int RtcpHeaderLength = 8;

    /// <summary>Length of the RTP header (fixed part, CSRCs, extension); false when it does not fit in <paramref name="packet"/>.</summary>
    public static bool TryGetRtpHeaderLength(ReadOnlySpan<byte> packet, out int headerLength)
    {
        headerLength = 0;
        if (packet.Length < RtpFixedHeaderLength || (packet[0] >> 6) != 2)
        {
            return false;
        }

        var length = RtpFixedHeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(length + 2, 2)));
        }

        if (length > packet.Length)
        {
            return false;
        }

        headerLength = length;
        return true;
    }

    /// <summary>True when <paramref name="packet"/> starts like an RTCP packet SRTCP can protect (version 2, 8-byte header).</summary>
    public static bool IsRtcpHeader(ReadOnlySpan<byte> packet) => packet.Length >= RtcpHeaderLength && (packet[0] >> 6) == 2;

    public static ushort ReadRtpSequence(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2));

    public static uint ReadRtpSsrc(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4));

    public static uint ReadRtcpSsrc(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4));
}
