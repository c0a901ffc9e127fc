using System.Buffers.Binary;

namespace Starling.Transport.Tests.Srtp;

/// <summary>Builds RTP and RTCP packets for SRTP tests.</summary>
internal static class SrtpTestPackets
{
    /// <summary>An RTP packet (V=2, PT 96) with optional CSRCs and a one-byte-header extension of <paramref name="extensionWords"/> words.</summary>
    public static byte[] Rtp(ushort sequence, uint ssrc, int payloadLength, int csrcCount = 0, int extensionWords = -1, byte fill = 0xAB)
    {
        var header = 12 + (4 * csrcCount) + (extensionWords >= 0 ? 4 + (4 * extensionWords) : 0);
        var packet = new byte[header + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords >= 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 0x01020304u + sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        var offset = 12;
        for (var i = 0; i < csrcCount; i++, offset += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(offset), 0xC5C00000u + (uint)i);
        }

        if (extensionWords >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), (ushort)extensionWords);
            for (var i = 0; i < 4 * extensionWords; i++)
            {
                packet[offset + 4 + i] = (byte)(0x10 + i);
            }

            offset += 4 + (4 * extensionWords);
        }

        for (var i = offset; i < packet.Length; i++)
        {
            packet[i] = (byte)(fill + i);
        }

        return packet;
    }

    /// <summary>A receiver report-shaped RTCP packet: 8-byte header then <paramref name="bodyLength"/> bytes.</summary>
    public static byte[] Rtcp(uint ssrc, int bodyLength = 24)
    {
        var packet = new byte[8 + bodyLength];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((packet.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        for (var i = 8; i < packet.Length; i++)
        {
            packet[i] = (byte)(i * 7);
        }

        return packet;
    }

    /// <summary>Copies <paramref name="packet"/> into a buffer with <paramref name="spare"/> bytes of room after it.</summary>
    public static byte[] WithRoom(byte[] packet, int spare = 64)
    {
        var buffer = new byte[packet.Length + spare];
        packet.CopyTo(buffer, 0);
        return buffer;
    }
}
