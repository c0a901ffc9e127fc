using System.Buffers.Binary;
using System.Text;
using Starling.Rooms.Media;
using Starling.Sfu.Congestion;
using Starling.Sfu.Feedback;
using Starling.Testing;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Tests.Media;

/// <summary>What the subscriber's sink stamps on every packet, and that the stamping and the estimator allocate nothing.</summary>
public sealed class TransportRtpSinkTests
{
    private static readonly SdpExtmap[] Extensions =
    [
        new(2, RtpExtensionUri.AbsSendTime),
        new(3, RtpExtensionUri.TransportWideCc),
        new(4, RtpExtensionUri.Mid),
    ];

    private readonly ManualTimeProvider _time = new();
    private readonly FakeTransport _transport = new();

    [Fact]
    public void Send_StampsTransportSequenceAbsSendTimeAndMid_InOrder()
    {
        var estimator = new SendSideBandwidthEstimator(_time.TimestampFrequency);
        var sink = new TransportRtpSink(_transport, _time, estimator, Extensions, mid: "7");
        var buffer = new byte[200];

        for (var i = 0; i < 3; i++)
        {
            var length = Packet(buffer, (ushort)(100 + i));
            sink.Send(buffer, length);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(3, _transport.SentRtp.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(RtpPacket.TryRead(_transport.SentRtp[i], out var packet, out _));
            Assert.Equal(100 + i, packet.SequenceNumber);
            Assert.True(packet.TryGetExtension(3, out var transport));
            Assert.Equal(i, BinaryPrimitives.ReadUInt16BigEndian(transport));
            Assert.True(packet.TryGetExtension(4, out var mid));
            Assert.Equal("7", Encoding.ASCII.GetString(mid));
            Assert.True(packet.TryGetExtension(2, out var absSendTime));
            Assert.Equal(3, absSendTime.Length);
            Assert.Equal([1, 2, 3, 4], packet.Payload.ToArray());
        }
    }

    [Fact]
    public void Send_WithoutNegotiatedExtensions_SendsThePacketAsItIs()
    {
        var sink = new TransportRtpSink(_transport, _time, new SendSideBandwidthEstimator(_time.TimestampFrequency), [], mid: "0");
        var buffer = new byte[200];
        var length = Packet(buffer, 1);
        var original = buffer[..length];

        sink.Send(buffer, length);

        Assert.Equal(original, Assert.Single(_transport.SentRtp));
    }

    [Fact]
    public void SendAndFeedback_AllocateNothing()
    {
        var estimator = new SendSideBandwidthEstimator(_time.TimestampFrequency);
        var sink = new TransportRtpSink(_transport, _time, estimator, Extensions, mid: "12");
        var receiver = new TransportCcRecorder(null, _time.TimestampFrequency);
        var buffer = new byte[200];
        var feedback = new byte[1500];
        _transport.RecordRtp = false;
        ushort sequence = 0;
        ushort transportSequence = 0;
        void Run(int packets)
        {
            for (var i = 0; i < packets; i++)
            {
                var length = Packet(buffer, sequence++);
                sink.Send(buffer, length);
                receiver.Record(transportSequence++, 0x1234, _time.GetTimestamp()); // the subscriber gets every packet
                _time.Advance(TimeSpan.FromMilliseconds(1));
                if (i % 50 == 0)
                {
                    while (receiver.TryWriteFeedback(1, feedback, out var written))
                    {
                        estimator.OnFeedback(feedback.AsSpan(0, written), _time.GetTimestamp());
                    }
                }
            }
        }

        Run(2_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(20_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(22_000, _transport.RtpCount);
        Assert.True(estimator.HasFeedback);
        Assert.InRange(estimator.AcknowledgedBitrate, 1, long.MaxValue);
        Assert.Equal(0, allocated);
    }

    // a 12-byte header, no extensions, a 4-byte payload
    private static int Packet(byte[] buffer, ushort sequence)
    {
        var writer = new RtpPacketWriter(buffer, 96, sequence, 1000u * sequence, 0xABCD);
        Assert.True(writer.AddPayload([1, 2, 3, 4]));
        Assert.True(writer.TryComplete(out var length));
        return length;
    }
}
