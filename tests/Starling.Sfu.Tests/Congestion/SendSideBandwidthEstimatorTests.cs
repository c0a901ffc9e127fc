using Starling.Sfu.Congestion;
using Starling.Sfu.Feedback;
using Starling.Testing;

namespace Starling.Sfu.Tests.Congestion;

/// <summary>
/// The send-side estimator in a closed loop on a virtual path: our packets go through a bottleneck (capacity, a
/// drop-tail queue, propagation delay, optional random loss) to a <see cref="TransportCcRecorder"/> playing the
/// subscriber, whose feedback every 50 ms drives the estimator. All on a fake clock, stepped 1 ms at a time.
/// </summary>
public sealed class SendSideBandwidthEstimatorTests
{
    private const uint Ssrc = 0x1234;

    [Fact]
    public void UnderCapacity_NeverDecreases_AndAcknowledgesWhatWasSent()
    {
        var path = new VirtualPath(capacityBps: 2_000_000);

        path.Run(TimeSpan.FromSeconds(10), sendBps: _ => 1_000_000, packetSize: 1200);

        Assert.Equal(long.MinValue, path.Estimator.LastDecreaseAt);
        Assert.InRange(path.Estimator.AcknowledgedBitrate, 850_000, 1_150_000);
        Assert.True(path.Estimator.Estimate >= 1_000_000, $"estimate {path.Estimator.Estimate}");
    }

    [Fact]
    public void OverCapacity_DropsBelowTheBottleneck()
    {
        var path = new VirtualPath(capacityBps: 1_000_000);

        path.Run(TimeSpan.FromSeconds(5), sendBps: _ => 2_000_000, packetSize: 1200);

        Assert.NotEqual(long.MinValue, path.Estimator.LastDecreaseAt);
        Assert.InRange(path.Estimator.Estimate, 250_000, 1_000_000);
    }

    [Fact]
    public void ClosedLoop_SettlesNearTheBottleneck()
    {
        var path = new VirtualPath(capacityBps: 1_500_000);
        var samples = new List<long>();

        path.Run(TimeSpan.FromSeconds(30), sendBps: e => Math.Min(e.Estimate, 4_000_000), packetSize: 1200, sample: e => samples.Add(e.Estimate));

        // over the last 10 s the estimate stays around the capacity (a saw-tooth below and a little above it)
        var late = samples.Skip(samples.Count * 2 / 3).ToList();
        Assert.InRange(late.Average(), 750_000, 1_900_000);
        Assert.True(path.Dropped < path.Sent / 10, $"dropped {path.Dropped} of {path.Sent}");
    }

    [Fact]
    public void HeavyRandomLoss_LowersTheEstimate()
    {
        var path = new VirtualPath(capacityBps: 10_000_000, lossRate: 0.2);

        path.Run(TimeSpan.FromSeconds(5), sendBps: _ => 1_000_000, packetSize: 1200);

        Assert.True(path.Estimator.Estimate < 2_000_000, $"estimate {path.Estimator.Estimate}");
        Assert.NotEqual(long.MinValue, path.Estimator.LastDecreaseAt);
    }

    [Fact]
    public void LightRandomLoss_IsNotCongestion()
    {
        var path = new VirtualPath(capacityBps: 10_000_000, lossRate: 0.03);

        path.Run(TimeSpan.FromSeconds(5), sendBps: _ => 1_000_000, packetSize: 1200);

        Assert.Equal(long.MinValue, path.Estimator.LastDecreaseAt);
    }

    [Fact]
    public void SequenceNumbers_WrapWithoutLosingTrack()
    {
        var path = new VirtualPath(capacityBps: 2_000_000);

        // 200-byte packets at 1.6 Mbps: 1000 packets a second, past 65,535 within the run
        path.Run(TimeSpan.FromSeconds(70), sendBps: _ => 1_600_000, packetSize: 200);

        Assert.True(path.Sent > 66_000);
        Assert.Equal(long.MinValue, path.Estimator.LastDecreaseAt);
        Assert.InRange(path.Estimator.AcknowledgedBitrate, 1_350_000, 1_850_000);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x8F, 205, 0, 1 })]
    [InlineData(new byte[] { 0x8F, 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0 })]
    public void MalformedFeedback_IsRejectedAndChangesNothing(byte[] packet)
    {
        var time = new ManualTimeProvider();
        var estimator = new SendSideBandwidthEstimator(time.TimestampFrequency, initialBitrate: 1_000_000);
        estimator.Register(1000, time.GetTimestamp());

        Assert.False(estimator.OnFeedback(packet, time.GetTimestamp()));

        Assert.Equal(1_000_000, estimator.Estimate);
        Assert.False(estimator.HasFeedback);
    }

    [Fact]
    public void RandomFeedback_NeverThrows()
    {
        var time = new ManualTimeProvider();
        var estimator = new SendSideBandwidthEstimator(time.TimestampFrequency);
        var random = new Random(3);
        var buffer = new byte[200];
        for (var i = 0; i < 20_000; i++)
        {
            estimator.Register(random.Next(50, 1300), time.GetTimestamp());
            random.NextBytes(buffer);
            buffer[0] = 0x8F;
            buffer[1] = 205;
            estimator.OnFeedback(buffer.AsSpan(0, random.Next(0, buffer.Length)), time.GetTimestamp());
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.InRange(estimator.Estimate, 50_000, 50_000_000);
    }

    /// <summary>Sender → bottleneck (drop-tail, 300 ms of queue) → 20 ms propagation → receiver → feedback every 50 ms.</summary>
    private sealed class VirtualPath
    {
        private const double QueueLimitMs = 300;
        private const double PropagationMs = 20;

        private readonly ManualTimeProvider _time = new();
        private readonly Random _random = new(42);
        private readonly Queue<(ushort Sequence, double ArrivalMs)> _inFlight = new();
        private readonly TransportCcRecorder _receiver;
        private readonly long _capacityBps;
        private readonly double _lossRate;
        private readonly byte[] _feedback = new byte[1500];
        private double _linkFreeAtMs;
        private double _credit;

        public VirtualPath(long capacityBps, double lossRate = 0)
        {
            _capacityBps = capacityBps;
            _lossRate = lossRate;
            _receiver = new TransportCcRecorder(null, _time.TimestampFrequency);
            Estimator = new SendSideBandwidthEstimator(_time.TimestampFrequency, initialBitrate: 1_000_000);
        }

        public SendSideBandwidthEstimator Estimator { get; }

        public long Sent { get; private set; }

        public long Dropped { get; private set; }

        public void Run(TimeSpan duration, Func<SendSideBandwidthEstimator, long> sendBps, int packetSize, Action<SendSideBandwidthEstimator>? sample = null)
        {
            var steps = (int)duration.TotalMilliseconds;
            for (var step = 0; step < steps; step++)
            {
                _time.Advance(TimeSpan.FromMilliseconds(1));
                var nowMs = _time.GetElapsedTime(0).TotalMilliseconds;

                // the sender paces packets at the requested rate
                _credit += sendBps(Estimator) / 8.0 / 1000.0;
                while (_credit >= packetSize)
                {
                    _credit -= packetSize;
                    var sequence = Estimator.Register(packetSize, _time.GetTimestamp());
                    Sent++;
                    var queueMs = Math.Max(0, _linkFreeAtMs - nowMs);
                    if (queueMs > QueueLimitMs || _random.NextDouble() < _lossRate)
                    {
                        Dropped++;
                        continue;
                    }

                    _linkFreeAtMs = Math.Max(_linkFreeAtMs, nowMs) + (packetSize * 8 * 1000.0 / _capacityBps);
                    _inFlight.Enqueue((sequence, _linkFreeAtMs + PropagationMs));
                }

                // deliveries due by now (the link is FIFO, so arrivals are in order)
                while (_inFlight.TryPeek(out var packet) && packet.ArrivalMs <= nowMs)
                {
                    _inFlight.Dequeue();
                    _receiver.Record(packet.Sequence, Ssrc, _time.GetTimestamp());
                }

                if (step % 50 == 0)
                {
                    while (_receiver.TryWriteFeedback(0x99, _feedback, out var written))
                    {
                        Assert.True(Estimator.OnFeedback(_feedback.AsSpan(0, written), _time.GetTimestamp()));
                    }

                    sample?.Invoke(Estimator);
                }
            }
        }
    }
}
