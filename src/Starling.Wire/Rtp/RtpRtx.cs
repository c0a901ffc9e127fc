using System.Buffers.Binary;

namespace Starling.Wire.Rtp;

/// <summary>
/// RTP retransmission payload format (RFC 4588 §4): the retransmission stream carries the original packet's
/// header fields (CSRCs, extensions, marker, timestamp) under its own SSRC, sequence number and payload type,
/// with the original sequence number (OSN) prepended to the original payload.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP Header                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            OSN                |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// |                  Original RTP Packet Payload                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// RTP padding is dropped in both directions. An RTX packet whose payload is shorter than 2 bytes (libwebrtc's
/// padding-only bandwidth probes) has no OSN and cannot be unwrapped.
/// </summary>
internal static class RtpRtx
{
    public const int OsnSize = 2;

    /// <summary>Size of the RTX packet <see cref="TryWrap"/> writes for <paramref name="original"/>.</summary>
    public static int GetWrappedSize(RtpPacket original) => original.HeaderLength + OsnSize + original.Payload.Length;

    /// <summary>
    /// Writes the RTX form of <paramref name="original"/> into <paramref name="destination"/> (which must not
    /// overlap it): same header with <paramref name="rtxPayloadType"/>, <paramref name="rtxSequenceNumber"/> and
    /// <paramref name="rtxSsrc"/>, P cleared, then the OSN and the original payload.
    /// </summary>
    public static bool TryWrap(RtpPacket original, Span<byte> destination, byte rtxPayloadType, ushort rtxSequenceNumber, uint rtxSsrc, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetWrappedSize(original);
        if (original.Length < RtpPacket.FixedHeaderSize || destination.Length < size || rtxPayloadType > 127)
        {
            return false;
        }

        var header = original.HeaderLength;
        original.Span[..header].CopyTo(destination);
        original.Payload.CopyTo(destination[(header + OsnSize)..]);
        WriteRtxHeader(destination, header, original.SequenceNumber, rtxPayloadType, rtxSequenceNumber, rtxSsrc);
        bytesWritten = size;
        return true;
    }

    // the RTX header over a copy of the original one (P cleared: RTX carries no padding) and the OSN after it
    private static void WriteRtxHeader(Span<byte> packet, int headerLength, ushort originalSequence, byte rtxPayloadType, ushort rtxSequenceNumber, uint rtxSsrc)
    {
        packet[0] &= 0xDF;
        RtpRewriter.SetPayloadType(packet, rtxPayloadType);
        RtpRewriter.SetSequenceNumber(packet, rtxSequenceNumber);
        RtpRewriter.SetSsrc(packet, rtxSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(packet[headerLength..], originalSequence);
    }

    /// <summary>
    /// Turns the RTP packet in <c>packet[..length]</c> into its RTX form in place (the SFU's retransmissions, from a
    /// pooled buffer): the payload moves <see cref="OsnSize"/> bytes away from the header to make room for the OSN,
    /// padding is dropped, and the header gets <paramref name="rtxPayloadType"/>, <paramref name="rtxSequenceNumber"/>
    /// and <paramref name="rtxSsrc"/>. <paramref name="packet"/> must have room for the two extra bytes.
    /// </summary>
    public static bool TryWrapInPlace(Span<byte> packet, int length, byte rtxPayloadType, ushort rtxSequenceNumber, uint rtxSsrc, out int wrappedLength)
    {
        wrappedLength = 0;
        if (length > packet.Length || rtxPayloadType > 127 || !RtpPacket.TryRead(packet[..length], out var original, out _))
        {
            return false;
        }

        var header = original.HeaderLength;
        var payloadLength = original.Payload.Length;
        if (packet.Length < header + OsnSize + payloadLength)
        {
            return false;
        }

        var osn = original.SequenceNumber;
        packet.Slice(header, payloadLength).CopyTo(packet[(header + OsnSize)..]);
        WriteRtxHeader(packet, header, osn, rtxPayloadType, rtxSequenceNumber, rtxSsrc);
        wrappedLength = header + OsnSize + payloadLength;
        return true;
    }

    /// <summary>The original sequence number carried by an RTX packet.</summary>
    public static bool TryGetOriginalSequenceNumber(RtpPacket rtx, out ushort sequenceNumber)
    {
        var payload = rtx.Payload;
        if (payload.Length < OsnSize)
        {
            sequenceNumber = 0;
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(payload);
        return true;
    }

    /// <summary>
    /// Writes the original packet recovered from <paramref name="rtx"/> into <paramref name="destination"/>
    /// (which must not overlap it): header with the OSN, <paramref name="payloadType"/> and
    /// <paramref name="ssrc"/>, P cleared, then the payload after the OSN.
    /// </summary>
    public static bool TryUnwrap(RtpPacket rtx, Span<byte> destination, byte payloadType, uint ssrc, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!TryGetOriginalSequenceNumber(rtx, out var osn) || payloadType > 127)
        {
            return false;
        }

        var header = rtx.HeaderLength;
        var payload = rtx.Payload[OsnSize..];
        if (destination.Length < header + payload.Length)
        {
            return false;
        }

        rtx.Span[..header].CopyTo(destination);
        payload.CopyTo(destination[header..]);
        Restore(destination, payloadType, osn, ssrc);
        bytesWritten = header + payload.Length;
        return true;
    }

    /// <summary>
    /// Turns the RTX packet in <paramref name="packet"/> back into the original in place: the payload moves two
    /// bytes towards the header and the packet shrinks to <paramref name="length"/> bytes.
    /// </summary>
    public static bool TryUnwrapInPlace(Span<byte> packet, byte payloadType, uint ssrc, out int length)
    {
        length = 0;
        if (!RtpPacket.TryRead(packet, out var rtx, out _) || !TryGetOriginalSequenceNumber(rtx, out var osn) || payloadType > 127)
        {
            return false;
        }

        var header = rtx.HeaderLength;
        var payloadLength = rtx.Payload.Length - OsnSize;
        packet.Slice(header + OsnSize, payloadLength).CopyTo(packet[header..]);
        Restore(packet, payloadType, osn, ssrc);
        length = header + payloadLength;
        return true;
    }

    private static void Restore(Span<byte> packet, byte payloadType, ushort sequenceNumber, uint ssrc)
    {
        packet[0] &= 0xDF;
        RtpRewriter.SetPayloadType(packet, payloadType);
        RtpRewriter.SetSequenceNumber(packet, sequenceNumber);
        RtpRewriter.SetSsrc(packet, ssrc);
    }
}
