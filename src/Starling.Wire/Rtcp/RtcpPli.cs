using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Picture loss indication (RFC 4585 §6.3.1): payload-specific feedback (PT 206, FMT 1) with no FCI asking the
/// media sender for a key frame.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=1   |    PT=206     |          length=2             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly record struct RtcpPli(uint SenderSsrc, uint MediaSsrc)
{
    public const int Size = 12;

    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpPli pli, out int bytesRead)
    {
        pli = default;
        bytesRead = 0;
        if (!RtcpPacket.TryRead(source, out var packet, out var read)
            || packet.PacketType != RtcpPacketType.PayloadFeedback
            || packet.Count != RtcpFeedbackFormat.Pli
            || packet.Payload.Length < Size - RtcpHeader.Size)
        {
            return false;
        }

        pli = new RtcpPli(BinaryPrimitives.ReadUInt32BigEndian(packet.Payload), BinaryPrimitives.ReadUInt32BigEndian(packet.Payload[4..]));
        bytesRead = read;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        RtcpHeader.Write(destination, RtcpFeedbackFormat.Pli, RtcpPacketType.PayloadFeedback, Size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], MediaSsrc);
        bytesWritten = Size;
        return true;
    }
}
