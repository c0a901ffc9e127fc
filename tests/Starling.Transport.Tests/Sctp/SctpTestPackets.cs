using System.Buffers.Binary;
using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

/// <summary>Hand-assembles SCTP packets (port 5000 both sides, valid CRC32c) for injection into an association.</summary>
internal static class SctpTestPackets
{
    public static byte[] Build(uint verificationTag, params byte[][] chunks)
    {
        var length = SctpCommonHeader.Size + chunks.Sum(c => c.Length);
        var packet = new byte[length];
        new SctpCommonHeader(5000, 5000, verificationTag, 0).TryWrite(packet, out _);
        var offset = SctpCommonHeader.Size;
        foreach (var c in chunks)
        {
            c.CopyTo(packet, offset);
            offset += c.Length;
        }

        SctpCommonHeader.WriteChecksum(packet);
        return packet;
    }

    public static byte[] Chunk(byte type, byte flags, params byte[] value)
    {
        var bytes = new byte[SctpChunk.Pad4(4 + value.Length)];
        new SctpChunk(type, flags, value).TryWrite(bytes, out _);
        return bytes;
    }

    public static byte[] Heartbeat(byte[] info)
    {
        var chunk = new HeartbeatChunk(false, info);
        var bytes = new byte[chunk.GetSize()];
        chunk.TryWrite(bytes, out _);
        return bytes;
    }

    public static uint Tag(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));

    /// <summary>Chunk types in a packet, in order.</summary>
    public static List<SctpChunkType> ChunkTypes(byte[] packet)
    {
        var types = new List<SctpChunkType>();
        var rest = packet.AsSpan(SctpCommonHeader.Size);
        while (SctpChunk.TryRead(rest, out var c, out var used))
        {
            types.Add(c.ChunkType);
            rest = rest[used..];
        }

        return types;
    }

    /// <summary>Establishes the pair and learns each side's local verification tag from captured traffic.</summary>
    public static (uint TagOfA, uint TagOfB) Establish(SctpPair pair)
    {
        pair.ConnectBoth();
        pair.Link.Capture = true;
        pair.A.Send(0, 53, [1]);
        pair.B.Send(0, 53, [1]);
        pair.Link.RunUntil(() => pair.ReceivedByA.Count == 1 && pair.ReceivedByB.Count == 1, TimeSpan.FromSeconds(2));
        pair.Link.Run(TimeSpan.FromSeconds(1));
        var tagOfB = Tag(pair.Link.Captured.First(p => p.ToB).Packet);
        var tagOfA = Tag(pair.Link.Captured.First(p => !p.ToB).Packet);
        pair.ReceivedByA.Clear();
        pair.ReceivedByB.Clear();
        pair.Link.Captured.Clear();
        return (tagOfA, tagOfB);
    }
}
