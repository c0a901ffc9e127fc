namespace Starling.Sfu.Congestion;

/// <summary>
/// The delay-based half of a send-side bandwidth estimator (the trendline filter and adaptive-threshold over-use
/// detector described for Google congestion control, draft-ietf-rmcat-gcc-02 §5): packets are grouped into bursts
/// sent within 5 ms; for consecutive groups the change in one-way delay (arrival spacing minus send spacing) is
/// accumulated and smoothed, and the slope of a least-squares line over the last 20 groups says whether queues grow.
/// The slope, scaled by the number of samples, is compared with a threshold that adapts to the slope's usual size, so
/// that jitter alone does not read as congestion and a competing flow does not starve us.
/// </summary>
/// <remarks>Not thread-safe: the owner serializes calls. Times are in milliseconds (double). Allocation-free.</remarks>
internal sealed class TrendlineDetector
{
    private const int WindowSize = 20;
    private const double Smoothing = 0.9;
    private const double ThresholdGain = 4.0;
    private const double BurstMs = 5.0;
    private const double OverusingTimeMs = 10.0;
    private const double ThresholdUpGain = 0.0087;
    private const double ThresholdDownGain = 0.039;
    private const double MaxAdaptOffsetMs = 15.0;

    private readonly double[] _x = new double[WindowSize];
    private readonly double[] _y = new double[WindowSize];
    private int _count;
    private int _next;

    private bool _inGroup;
    private double _groupFirstSend;
    private double _groupLastSend;
    private double _groupLastArrival;
    private bool _hasPrevious;
    private double _previousSend;
    private double _previousArrival;

    private double _firstArrival = double.NaN;
    private double _accumulated;
    private double _smoothed;
    private int _deltas;

    private double _threshold = 12.5;
    private double _lastThresholdUpdate = double.NaN;
    private double _overuseTime;
    private int _overuseCount;
    private double _previousTrend;

    /// <summary>The current signal.</summary>
    public BandwidthUsage State { get; private set; } = BandwidthUsage.Normal;

    /// <summary>The adaptive threshold (ms), for diagnostics and tests.</summary>
    public double Threshold => _threshold;

    /// <summary>The latest modified trend (slope × samples × gain), for diagnostics and tests.</summary>
    public double Trend { get; private set; }

    /// <summary>Forgets the history (after a pause in feedback the old trend says nothing about the path now); keeps the threshold.</summary>
    public void Reset()
    {
        _count = 0;
        _next = 0;
        _inGroup = false;
        _hasPrevious = false;
        _firstArrival = double.NaN;
        _accumulated = 0;
        _smoothed = 0;
        _deltas = 0;
        _overuseTime = 0;
        _overuseCount = 0;
        _previousTrend = 0;
        _lastThresholdUpdate = double.NaN;
        Trend = 0;
        State = BandwidthUsage.Normal;
    }

    /// <summary>
    /// One acknowledged packet, in transport-wide sequence order: when we sent it and when the receiver got it (the
    /// receiver's clock; only differences matter). Returns the state after it.
    /// </summary>
    public BandwidthUsage OnPacket(double sendMs, double arrivalMs)
    {
        if (!_inGroup)
        {
            StartGroup(sendMs, arrivalMs);
            return State;
        }

        if (sendMs < _groupFirstSend)
        {
            return State; // reordered onto an earlier group: ignore
        }

        if (sendMs - _groupFirstSend <= BurstMs)
        {
            _groupLastSend = Math.Max(_groupLastSend, sendMs);
            _groupLastArrival = Math.Max(_groupLastArrival, arrivalMs);
            return State;
        }

        // the group is complete: compare it with the previous one
        if (_hasPrevious)
        {
            var sendDelta = _groupLastSend - _previousSend;
            var arrivalDelta = _groupLastArrival - _previousArrival;
            if (arrivalDelta >= 0)
            {
                Update(arrivalDelta - sendDelta, _groupLastArrival);
            }
        }

        _hasPrevious = true;
        _previousSend = _groupLastSend;
        _previousArrival = _groupLastArrival;
        StartGroup(sendMs, arrivalMs);
        return State;
    }

    private void StartGroup(double sendMs, double arrivalMs)
    {
        _inGroup = true;
        _groupFirstSend = sendMs;
        _groupLastSend = sendMs;
        _groupLastArrival = arrivalMs;
    }

    private void Update(double delayDeltaMs, double arrivalMs)
    {
        if (double.IsNaN(_firstArrival))
        {
            _firstArrival = arrivalMs;
        }

        _deltas = Math.Min(_deltas + 1, 1000);
        _accumulated += delayDeltaMs;
        _smoothed = (Smoothing * _smoothed) + ((1 - Smoothing) * _accumulated);
        _x[_next] = arrivalMs - _firstArrival;
        _y[_next] = _smoothed;
        _next = (_next + 1) % WindowSize;
        _count = Math.Min(_count + 1, WindowSize);
        if (_count < WindowSize)
        {
            return;
        }

        var slope = Slope();
        var trend = Math.Min(_deltas, 60) * slope * ThresholdGain;
        Trend = trend;
        Detect(trend, delayDeltaMs, arrivalMs);
    }

    private double Slope()
    {
        double meanX = 0, meanY = 0;
        for (var i = 0; i < _count; i++)
        {
            meanX += _x[i];
            meanY += _y[i];
        }

        meanX /= _count;
        meanY /= _count;
        double numerator = 0, denominator = 0;
        for (var i = 0; i < _count; i++)
        {
            numerator += (_x[i] - meanX) * (_y[i] - meanY);
            denominator += (_x[i] - meanX) * (_x[i] - meanX);
        }

        return denominator == 0 ? 0 : numerator / denominator;
    }

    private void Detect(double trend, double deltaMs, double nowMs)
    {
        if (trend > _threshold)
        {
            _overuseTime += Math.Max(deltaMs, 0) + BurstMs;
            _overuseCount++;
            if (_overuseTime > OverusingTimeMs && _overuseCount > 1 && trend >= _previousTrend)
            {
                _overuseTime = 0;
                _overuseCount = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else if (trend < -_threshold)
        {
            _overuseTime = 0;
            _overuseCount = 0;
            State = BandwidthUsage.Underusing;
        }
        else
        {
            _overuseTime = 0;
            _overuseCount = 0;
            State = BandwidthUsage.Normal;
        }

        _previousTrend = trend;
        AdaptThreshold(trend, nowMs);
    }

    private void AdaptThreshold(double trend, double nowMs)
    {
        if (double.IsNaN(_lastThresholdUpdate))
        {
            _lastThresholdUpdate = nowMs;
        }

        var magnitude = Math.Abs(trend);
        if (magnitude > _threshold + MaxAdaptOffsetMs)
        {
            _lastThresholdUpdate = nowMs; // a spike: do not let it drag the threshold up
            return;
        }

        var gain = magnitude < _threshold ? ThresholdDownGain : ThresholdUpGain;
        var elapsed = Math.Min(nowMs - _lastThresholdUpdate, 100);
        _threshold = Math.Clamp(_threshold + (gain * (magnitude - _threshold) * elapsed), 6, 600);
        _lastThresholdUpdate = nowMs;
    }
}
