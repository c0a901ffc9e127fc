namespace Starling.Transport.Sctp;

/// <summary>
/// A one-shot protocol timer (T1-init, T1-cookie, T2-shutdown, T3-rtx, delayed SACK, RE-CONFIG, heartbeat) on an
/// injected <see cref="TimeProvider"/>. Expiry runs under the association's lock; late or stale callbacks from the
/// underlying timer (after a restart or stop) are recognised by the due time and ignored.
/// </summary>
internal sealed class SctpTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Lock _gate;
    private readonly Action _onExpired;
    private readonly Action _afterUnlock;
    private readonly ITimer _timer;
    private long _dueTimestamp;
    private bool _disposed;

    public SctpTimer(TimeProvider time, Lock gate, Action onExpired, Action afterUnlock)
    {
        _time = time;
        _gate = gate;
        _onExpired = onExpired;
        _afterUnlock = afterUnlock;
        _timer = time.CreateTimer(static s => ((SctpTimer)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public bool IsRunning { get; private set; }

    /// <summary>How many times this timer has been (re)started since it last expired: the backoff exponent for T1/T2.</summary>
    public int Restarts { get; set; }

    /// <summary>(Re)starts the timer. Call under the association lock.</summary>
    public void Start(TimeSpan duration)
    {
        if (_disposed)
        {
            return;
        }

        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        IsRunning = true;
        _dueTimestamp = _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
        _timer.Change(duration, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts the timer only if it is not running.</summary>
    public void EnsureRunning(TimeSpan duration)
    {
        if (!IsRunning)
        {
            Start(duration);
        }
    }

    public void Stop()
    {
        if (!IsRunning || _disposed)
        {
            IsRunning = false;
            return;
        }

        IsRunning = false;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _disposed = true;
        IsRunning = false;
        _timer.Dispose();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!IsRunning || _disposed)
            {
                return;
            }

            var remaining = _dueTimestamp - _time.GetTimestamp();
            if (remaining > 0)
            {
                // A stale callback from before a restart: re-arm for what is left.
                _timer.Change(TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                return;
            }

            IsRunning = false;
            _onExpired();
        }

        _afterUnlock();
    }
}
