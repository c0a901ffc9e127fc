namespace Starling.Rooms.Agents;

/// <summary>A token bucket on an injected clock: <c>burst</c> tokens, refilled at <c>rate</c> per second.</summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _burst;
    private readonly double _rate;
    private double _tokens;
    private long _last;

    public TokenBucket(TimeProvider time, int burst, int ratePerSecond)
    {
        _time = time;
        _burst = Math.Max(1, burst);
        _rate = Math.Max(0, ratePerSecond);
        _tokens = _burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes one token; false when the bucket is empty.</summary>
    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _rate));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
