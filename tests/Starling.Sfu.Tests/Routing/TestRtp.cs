using Starling.Wire.Rtp;

namespace Starling.Sfu.Tests.Routing;

/// <summary>Synthetic VP8 RTP packets for router tests: a one-byte descriptor (S, PID 0) and a payload header whose P bit marks delta frames.</summary>
internal static class TestRtp
{
    public const byte PublisherPayloadType = 96;
    public const byte MidExtensionId = 4;
    public const byte AbsSendTimeExtensionId = 3;

    /// <summary>Writes a packet into <paramref name="buffer"/> and returns its length.</summary>
    public static int Write(Span<byte> buffer, ushort sequence, uint timestamp, uint ssrc, bool keyframe = false, bool frameStart = false, bool marker = false, int payloadLength = 1000, bool paddingOnly = false)
    {
        var writer = new RtpPacketWriter(buffer, PublisherPayloadType, sequence, timestamp, ssrc, marker);
        writer.AddExtension(MidExtensionId, "0"u8);
        writer.AddExtension(AbsSendTimeExtensionId, [1, 2, 3]);
        if (!paddingOnly)
        {
            writer.TryReservePayload(payloadLength, out var payload);
            payload.Fill(0xAB);
            payload[0] = (byte)(frameStart || keyframe ? 0x10 : 0x00);
            payload[1] = (byte)(keyframe ? 0x00 : 0x01);
        }

        if (!writer.TryComplete(out var length, paddingOnly ? 200 : 0))
        {
            throw new InvalidOperationException("test packet does not fit");
        }

        return length;
    }

    public static byte[] Packet(ushort sequence, uint timestamp, uint ssrc, bool keyframe = false, bool marker = false, int payloadLength = 1000, bool paddingOnly = false)
    {
        var buffer = new byte[1500];
        var length = Write(buffer, sequence, timestamp, ssrc, keyframe, keyframe, marker, payloadLength, paddingOnly);
        return buffer[..length];
    }
}
