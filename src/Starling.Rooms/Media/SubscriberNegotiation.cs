namespace Starling.Rooms.Media;

/// <summary>
/// The one place that decides when what a participant receives is renegotiated, on both signalling paths: v0 sends a
/// new subscriber offer, v1 a <c>media_sections_requirement</c> that makes the client offer again.
/// <list type="bullet">
/// <item><b>Coalescing.</b> <see cref="Request"/> marks a change; it goes out after <see cref="NegotiationOptions.FastDelay"/>,
/// or <see cref="NegotiationOptions.Debounce"/> when the last negotiation was that recent, so a burst of changes
/// (ten UpdateSubscriptions calls, a participant leaving with five tracks) becomes one negotiation.</item>
/// <item><b>One in flight.</b> While a negotiation waits for the client (<see cref="InFlight"/>), changes are only
/// remembered. <see cref="Completed"/> ends it: a change that the completion did not cover (v0: it came after our
/// offer) is negotiated at once, so nothing is lost.</item>
/// <item><b>Timeouts.</b> A negotiation unanswered for <see cref="NegotiationOptions.Timeout"/> is reported and sent
/// again, up to <see cref="NegotiationOptions.Retries"/> times; then the owner is told it failed (livekit-server then
/// asks the client for a full reconnect). Later changes are never blocked by a client that stopped answering.</item>
/// </list>
/// Every member is called under the owner's lock; the timer's callback takes that lock through <c>runLocked</c>.
/// </summary>
internal sealed class SubscriberNegotiation : IDisposable
{
    private readonly TimeProvider _time;
    private readonly NegotiationOptions _options;
    private readonly Action<Action> _runLocked;
    private readonly Func<bool, bool> _send;
    private readonly Action<int> _timedOut;
    private readonly Action _failed;
    private ITimer? _timer;
    private long _lastSentAt = long.MinValue;
    private int _attempt;
    private bool _armed;
    private long _dueAt;
    private bool _disposed;

    /// <param name="time">Clock and timers.</param>
    /// <param name="options">Delays and timeout.</param>
    /// <param name="runLocked">Runs a timer callback under the owner's lock.</param>
    /// <param name="send">Sends a negotiation (argument: it is a retry after a timeout); false when there was nothing to send.</param>
    /// <param name="timedOut">A negotiation went unanswered (argument: how many times in a row).</param>
    /// <param name="failed">The retries went unanswered too.</param>
    public SubscriberNegotiation(TimeProvider time, NegotiationOptions options, Action<Action> runLocked, Func<bool, bool> send, Action<int> timedOut, Action failed)
    {
        _time = time;
        _options = options;
        _runLocked = runLocked;
        _send = send;
        _timedOut = timedOut;
        _failed = failed;
    }

    /// <summary>A negotiation was sent and the client has not completed it yet.</summary>
    public bool InFlight { get; private set; }

    /// <summary>A change waits to be negotiated (in the coalescing window, or behind the one in flight).</summary>
    public bool Pending { get; private set; }

    /// <summary>Negotiations sent, retries included.</summary>
    public int Sent { get; private set; }

    /// <summary>Something changed: negotiate soon (coalesced), or after the one in flight.</summary>
    public void Request()
    {
        if (_disposed)
        {
            return;
        }

        Pending = true;
        if (InFlight || _armed)
        {
            return;
        }

        var sinceLast = _time.GetElapsedTime(_lastSentAt == long.MinValue ? 0 : _lastSentAt);
        Arm(_lastSentAt != long.MinValue && sinceLast < _options.Debounce ? _options.Debounce : _options.FastDelay);
    }

    /// <summary>Negotiates now, unless one is in flight (then right after it completes). For the first offer of a session.</summary>
    public void RequestNow()
    {
        if (_disposed)
        {
            return;
        }

        Pending = true;
        if (!InFlight)
        {
            Fire(retry: false);
        }
    }

    /// <summary>
    /// The client completed a negotiation (v0: answered our offer; v1: offered again and was answered).
    /// <paramref name="coveredChanges"/>: the completion reflects every change made so far (v1, where the answer is built
    /// from the current state), so nothing is pending any more, in flight or not. Otherwise it ends the negotiation in
    /// flight and changes made meanwhile are negotiated at once.
    /// </summary>
    public void Completed(bool coveredChanges)
    {
        if (_disposed)
        {
            return;
        }

        if (coveredChanges)
        {
            InFlight = false;
            Pending = false;
            _attempt = 0;
            Disarm();
            return;
        }

        if (!InFlight)
        {
            return;
        }

        InFlight = false;
        _attempt = 0;
        Disarm();
        if (Pending)
        {
            Fire(retry: false);
        }
    }

    /// <summary>The owner sent a negotiation itself (an ICE restart offer, which carries every change): track its answer.</summary>
    public void SentDirectly()
    {
        if (!_disposed)
        {
            MarkSent();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
        _timer = null;
    }

    private void Fire(bool retry)
    {
        Disarm();
        Pending = false;
        if (_send(retry))
        {
            MarkSent();
        }
    }

    private void MarkSent()
    {
        Disarm();
        Pending = false;
        Sent++;
        InFlight = true;
        _lastSentAt = _time.GetTimestamp();
        Arm(_options.Timeout);
    }

    private void OnTimer()
    {
        if (_disposed || !_armed)
        {
            return;
        }

        // early: a callback already under way when the timer was re-armed for later, or a timer firing a little ahead
        // of the monotonic clock. Wait out the rest (ignoring it would leave the state armed with no timer running).
        var remaining = _dueAt - _time.GetTimestamp();
        if (remaining > 0)
        {
            _timer?.Change(TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
            return;
        }

        _armed = false;
        if (!InFlight)
        {
            if (Pending)
            {
                Fire(retry: false);
            }

            return;
        }

        _attempt++;
        _timedOut(_attempt);
        if (_attempt > _options.Retries)
        {
            InFlight = false;
            Pending = false;
            _failed();
            return;
        }

        Fire(retry: true);
    }

    private void Arm(TimeSpan due)
    {
        _armed = true;
        _dueAt = _time.GetTimestamp() + (long)(due.TotalSeconds * _time.TimestampFrequency);
        if (_timer is null)
        {
            _timer = _time.CreateTimer(_ => _runLocked(OnTimer), null, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Disarm()
    {
        if (_armed)
        {
            _armed = false;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
