using System.Numerics;
using Starling.Wire.Rtcp;

namespace Starling.Sfu.Congestion;

/// <summary>
/// The send side of transport-wide congestion control toward one subscriber transport
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 with a Google-congestion-control style estimator,
/// draft-ietf-rmcat-gcc-02): every RTP packet we send gets a transport-wide sequence number
/// (<see cref="Register"/>), the subscriber's transport-cc feedback says when each arrived
/// (<see cref="OnFeedback"/>), and from that we estimate how many bits per second the path to the subscriber carries.
/// </summary>
/// <remarks>
/// <para>
/// Three signals combine, as in libwebrtc's goog-cc: the delay trend (<see cref="TrendlineDetector"/>) — queues
/// growing means we send too much, so the estimate drops to 85% of what was actually delivered (the acknowledged
/// bitrate); the loss rate — above 10% over a second the estimate drops by half the loss; otherwise the estimate
/// grows by 8% a second, but not beyond 1.5 × the acknowledged bitrate (we cannot claim bandwidth we never used; the
/// stream allocator's trial upgrades use <see cref="RaiseTo"/> to go further).
/// </para>
/// <para>
/// The send history is a preallocated ring indexed by the extended sequence number; nothing allocates per packet or
/// per feedback. Threads: <see cref="Register"/> runs on every sending thread, <see cref="OnFeedback"/> on the RTCP
/// path; one short lock guards the state. Times are <see cref="TimeProvider.GetTimestamp"/> values.
/// </para>
/// </remarks>
internal sealed class SendSideBandwidthEstimator
{
    private const byte Empty = 0;
    private const byte Outstanding = 1;
    private const byte Lost = 2;
    private const byte Acked = 3;

    private readonly Lock _gate = new();
    private readonly long _frequency;
    private readonly Sent[] _history;
    private readonly long _mask;
    private readonly TrendlineDetector _trendline = new();
    private readonly long _minBitrate;
    private readonly long _maxBitrate;
    private long _next;
    private double _rate;
    private long _lastRateUpdate;
    private long _lastDecrease = long.MinValue;
    private bool _hasFeedback;
    private long _lastFeedbackAt = long.MinValue;

    // acknowledged bitrate: bytes acknowledged over windows of the receiver's clock
    private double _ackedWindowStartMs = double.NaN;
    private long _ackedWindowBytes;
    private double _ackedBitrate;

    // loss over windows of our clock
    private long _lossWindowStart = long.MinValue;
    private int _lossReceived;
    private int _lossLost;

    public SendSideBandwidthEstimator(long timestampFrequency, long initialBitrate = 3_000_000, long minBitrate = 50_000, long maxBitrate = 50_000_000, int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minBitrate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBitrate, minBitrate);
        if (!BitOperations.IsPow2(capacity) || capacity < 64 || capacity > 1 << 15)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "the capacity must be a power of two from 64 to 32768");
        }

        _frequency = timestampFrequency;
        _minBitrate = minBitrate;
        _maxBitrate = maxBitrate;
        _rate = Math.Clamp(initialBitrate, minBitrate, maxBitrate);
        _history = new Sent[capacity];
        _mask = capacity - 1;
    }

    /// <summary>The estimate of what the path carries, bits per second.</summary>
    public long Estimate
    {
        get
        {
            lock (_gate)
            {
                return (long)_rate;
            }
        }
    }

    /// <summary>What the subscriber acknowledged receiving recently, bits per second (0 before any feedback).</summary>
    public long AcknowledgedBitrate
    {
        get
        {
            lock (_gate)
            {
                return (long)_ackedBitrate;
            }
        }
    }

    /// <summary>The delay signal after the latest feedback.</summary>
    public BandwidthUsage State
    {
        get
        {
            lock (_gate)
            {
                return _trendline.State;
            }
        }
    }

    /// <summary>True once a feedback acknowledged one of our packets (the subscriber does transport-cc).</summary>
    public bool HasFeedback
    {
        get
        {
            lock (_gate)
            {
                return _hasFeedback;
            }
        }
    }

    /// <summary>When the last feedback acknowledging a packet arrived; <see cref="long.MinValue"/> if none did.</summary>
    public long LastFeedbackAt
    {
        get
        {
            lock (_gate)
            {
                return _lastFeedbackAt;
            }
        }
    }

    /// <summary>When the estimate was last lowered (delay or loss); <see cref="long.MinValue"/> if never.</summary>
    public long LastDecreaseAt
    {
        get
        {
            lock (_gate)
            {
                return _lastDecrease;
            }
        }
    }

    /// <summary>Takes the next transport-wide sequence number for a packet of <paramref name="size"/> bytes sent at <paramref name="now"/>.</summary>
    public ushort Register(int size, long now)
    {
        lock (_gate)
        {
            var sequence = _next++;
            _history[sequence & _mask] = new Sent(sequence, now, size, Outstanding);
            return (ushort)sequence;
        }
    }

    /// <summary>Raises the estimate to at least <paramref name="bitrate"/> (a trial upgrade carried without congestion).</summary>
    public void RaiseTo(long bitrate)
    {
        lock (_gate)
        {
            _rate = Math.Clamp(Math.Max(_rate, bitrate), _minBitrate, _maxBitrate);
        }
    }

    /// <summary>
    /// One transport-cc feedback (the RTCP packet, header included) from the subscriber. False when it does not parse.
    /// </summary>
    public bool OnFeedback(ReadOnlySpan<byte> rtcpPacket, long now)
    {
        if (!RtcpTransportCc.TryRead(rtcpPacket, out var feedback, out _))
        {
            return false;
        }

        lock (_gate)
        {
            if (_next == 0)
            {
                return true;
            }

            // map the 16-bit base onto our extended numbers: the newest sent number at or before it
            var newest = _next - 1;
            var baseSequence = newest - (ushort)((ushort)newest - feedback.BaseSequenceNumber);
            var sequence = baseSequence;
            if (_lastFeedbackAt != long.MinValue && now - _lastFeedbackAt > _frequency)
            {
                _trendline.Reset(); // feedback paused (nothing sent): start the delay trend afresh
            }

            var acknowledged = false;
            foreach (var result in feedback.GetPackets())
            {
                acknowledged |= OnResult(sequence++, result);
            }

            if (acknowledged)
            {
                _lastFeedbackAt = now;
            }

            UpdateRate(now);
        }

        return true;
    }

    // true when the result acknowledged one of our packets for the first time
    private bool OnResult(long sequence, TransportCcPacketResult result)
    {
        if (sequence < 0 || sequence >= _next || _next - sequence > _history.Length)
        {
            return false;
        }

        ref var sent = ref _history[sequence & _mask];
        if (sent.Sequence != sequence || sent.State is Empty or Acked)
        {
            return false;
        }

        if (!result.Received)
        {
            if (sent.State == Outstanding)
            {
                sent.State = Lost;
                _lossLost++;
            }

            return false;
        }

        var wasLost = sent.State == Lost;
        sent.State = Acked;
        _hasFeedback = true;
        _lossReceived++;
        if (wasLost)
        {
            _lossLost = Math.Max(0, _lossLost - 1);
            return true; // a late arrival: its timing would disturb the delay trend
        }

        var arrivalMs = result.ArrivalMicroseconds / 1000.0;
        var sendMs = sent.At * 1000.0 / _frequency;
        _trendline.OnPacket(sendMs, arrivalMs);

        if (double.IsNaN(_ackedWindowStartMs) || arrivalMs < _ackedWindowStartMs)
        {
            _ackedWindowStartMs = arrivalMs;
            _ackedWindowBytes = 0;
        }

        _ackedWindowBytes += sent.Size;
        var window = arrivalMs - _ackedWindowStartMs;
        if (window >= 500)
        {
            var bitrate = _ackedWindowBytes * 8 * 1000.0 / window;
            _ackedBitrate = _ackedBitrate == 0 ? bitrate : (0.5 * _ackedBitrate) + (0.5 * bitrate);
            _ackedWindowStartMs = arrivalMs;
            _ackedWindowBytes = 0;
        }

        return true;
    }

    private void UpdateRate(long now)
    {
        if (_lastRateUpdate == 0)
        {
            _lastRateUpdate = now;
        }

        var elapsedSeconds = Math.Min((now - _lastRateUpdate) / (double)_frequency, 1.0);
        _lastRateUpdate = now;
        var decreaseSpacing = _frequency / 5; // one decrease per 200 ms, about a round trip plus a feedback interval

        if (_lossWindowStart == long.MinValue)
        {
            _lossWindowStart = now;
        }

        if (now - _lossWindowStart >= _frequency && _lossReceived + _lossLost >= 20)
        {
            var loss = _lossLost / (double)(_lossReceived + _lossLost);
            _lossWindowStart = now;
            _lossReceived = 0;
            _lossLost = 0;
            if (loss > 0.1)
            {
                _rate = Math.Max(_minBitrate, _rate * (1 - (0.5 * loss)));
                _lastDecrease = now;
                return;
            }
        }

        switch (_trendline.State)
        {
            case BandwidthUsage.Overusing:
                if (_lastDecrease == long.MinValue || now - _lastDecrease >= decreaseSpacing)
                {
                    var target = _ackedBitrate > 0 ? 0.85 * _ackedBitrate : 0.85 * _rate;
                    _rate = Math.Clamp(Math.Min(_rate, target), _minBitrate, _maxBitrate);
                    _lastDecrease = now;
                }

                break;
            case BandwidthUsage.Normal:
                var cap = _ackedBitrate > 0 ? (1.5 * _ackedBitrate) + 10_000 : _maxBitrate;
                if (_rate < cap)
                {
                    _rate = Math.Min(Math.Min(_rate * Math.Pow(1.08, elapsedSeconds), cap), _maxBitrate);
                }

                break;
            case BandwidthUsage.Underusing:
                break; // queues draining: hold until they are empty
        }
    }

    /// <summary>One sent packet in the history ring (one entry, so a send touches one place).</summary>
    private struct Sent(long sequence, long at, int size, byte state)
    {
        public long Sequence = sequence;
        public long At = at;
        public int Size = size;
        public byte State = state;
    }
}
