using Starling.Wire.Rtp;

namespace Starling.Bench;

/// <summary>Synthetic VP8-like camera packets: mid + abs-send-time extensions, 1100-byte payload, 4 packets per frame.</summary>
internal static class BenchRtp
{
    public const int PayloadSize = 1100;
    public const int PacketsPerFrame = 4;
    public const uint PublisherSsrc = 0x5EED_0001;

    /// <summary>Writes packet number <paramref name="index"/> of the stream into <paramref name="buffer"/>.</summary>
    public static int Write(Span<byte> buffer, long index)
    {
        var frame = index / PacketsPerFrame;
        var first = index % PacketsPerFrame == 0;
        var writer = new RtpPacketWriter(buffer, 96, (ushort)index, (uint)(frame * 3000), PublisherSsrc, marker: index % PacketsPerFrame == PacketsPerFrame - 1);
        writer.AddExtension(4, "0"u8);
        writer.AddExtension(3, [0x12, 0x34, 0x56]);
        writer.TryReservePayload(PayloadSize, out var payload);
        payload.Fill(0x5A);
        payload[0] = (byte)(first ? 0x10 : 0x00);
        payload[1] = (byte)(index == 0 ? 0x00 : 0x01); // the first packet is a keyframe
        writer.TryComplete(out var length);
        return length;
    }
}
