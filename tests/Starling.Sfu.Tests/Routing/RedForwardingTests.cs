using System.Buffers.Binary;
using Starling.Sfu.Buffers;
using Starling.Sfu.Forwarding;
using Starling.Sfu.Routing;
using Starling.Wire.Rtp;

namespace Starling.Sfu.Tests.Routing;

public sealed class RedForwardingTests
{
    private const byte PublisherRed = 63;
    private const byte PublisherOpus = 111;

    private static readonly byte[] Redundant = [1, 2, 3, 4, 5];
    private static readonly byte[] Primary = [9, 8, 7, 6, 5, 4, 3];

    // RFC 2198: one redundant block (4-byte header) and the primary (1-byte header)
    private static byte[] RedPacket(ushort sequence, uint timestamp, bool padding = false)
    {
        // F=1 | PT, 14-bit timestamp offset (960 = 20 ms earlier), 10-bit length; then F=0 | PT
        var payload = new List<byte> { 0x80 | PublisherOpus, 960 >> 6, (960 & 0x3F) << 2, (byte)Redundant.Length, PublisherOpus };
        payload.AddRange(Redundant);
        payload.AddRange(Primary);
        if (padding)
        {
            payload.AddRange(new byte[] { 0, 0, 3 });
        }

        var packet = new byte[12 + payload.Count];
        packet[0] = (byte)(0x80 | (padding ? 0x20 : 0));
        packet[1] = PublisherRed;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0xABCD);
        payload.CopyTo(packet, 12);
        return packet;
    }

    private static TrackRouter AudioRouter() => new(
        new TrackRouterOptions { MaxLayers = 1, ReceiveStream = new ReceiveStreamOptions { ClockRate = 48_000, PacketBuffer = PacketBufferOptions.Audio } },
        1000);

    private static DownTrackOptions Subscriber(byte red) => new()
    {
        Ssrc = 0x55,
        PayloadType = 120,
        SourceRedPayloadType = PublisherRed,
        RedPayloadType = red,
        Forwarder = ForwarderOptions.Audio,
    };

    [Fact]
    public void RedSubscriber_GetsTheRedPayloadUnderItsOwnType()
    {
        using var router = AudioRouter();
        var sink = new RecordingSink();
        router.AddDownTrack(Subscriber(red: 101), sink);
        var source = RedPacket(10, 48_000);
        Assert.Equal(1, router.WriteRtp(source, 0, 0));
        Assert.True(RtpPacket.TryRead(sink.Packets[0], out var sent, out _));
        Assert.Equal(101, sent.PayloadType);
        Assert.Equal(source.AsSpan(12).ToArray(), sent.Payload.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SubscriberWithoutRed_GetsThePrimaryOpusFrame(bool padding)
    {
        using var router = AudioRouter();
        var sink = new RecordingSink();
        var downTrack = router.AddDownTrack(Subscriber(red: 0), sink);
        Assert.Equal(1, router.WriteRtp(RedPacket(10, 48_000, padding), 0, 0));
        Assert.True(RtpPacket.TryRead(sink.Packets[0], out var sent, out _));
        Assert.Equal(120, sent.PayloadType);
        Assert.False(sent.HasPadding);
        Assert.Equal(Primary, sent.Payload.ToArray());

        // a retransmission is reduced the same way
        Assert.Equal(1, downTrack.HandleNack([sent.SequenceNumber]));
        Assert.True(RtpPacket.TryRead(sink.Packets[1], out var resent, out _));
        Assert.Equal(Primary, resent.Payload.ToArray());
    }

    [Fact]
    public void PlainOpusFromARedPublisher_KeepsTheOpusType()
    {
        using var router = AudioRouter();
        var sink = new RecordingSink();
        router.AddDownTrack(Subscriber(red: 101), sink);
        var packet = RedPacket(10, 48_000);
        packet[1] = PublisherOpus;
        Assert.Equal(1, router.WriteRtp(packet, 0, 0));
        Assert.True(RtpPacket.TryRead(sink.Packets[0], out var sent, out _));
        Assert.Equal(120, sent.PayloadType);
    }

    [Fact]
    public void MalformedRed_IsNotForwardedToASubscriberWithoutRed()
    {
        using var router = AudioRouter();
        var sink = new RecordingSink();
        router.AddDownTrack(Subscriber(red: 0), sink);
        var packet = RedPacket(10, 48_000);
        packet[12 + 3] = 0xFF; // the redundant block claims more bytes than there are
        Assert.Equal(0, router.WriteRtp(packet, 0, 0));
        Assert.Empty(sink.Packets);
    }
}
