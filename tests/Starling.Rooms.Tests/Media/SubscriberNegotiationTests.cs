using Starling.Rooms.Media;
using Starling.Testing;

namespace Starling.Rooms.Tests.Media;

/// <summary>
/// The renegotiation decider on a fake clock: coalescing, one negotiation in flight with nothing lost, completion
/// that covers changes (v1) or not (v0), timeouts with a retry and then failure, stale timer callbacks.
/// </summary>
public sealed class SubscriberNegotiationTests : IDisposable
{
    private static readonly NegotiationOptions Options = new()
    {
        FastDelay = TimeSpan.FromMilliseconds(10),
        Debounce = TimeSpan.FromMilliseconds(150),
        Timeout = TimeSpan.FromSeconds(15),
        Retries = 1,
    };

    private readonly ManualTimeProvider _time = new();
    private readonly List<bool> _sent = []; // one entry per negotiation sent: was it a retry
    private readonly List<int> _timeouts = [];
    private int _failures;
    private bool _nothingToSend;
    private readonly SubscriberNegotiation _negotiation;

    public SubscriberNegotiationTests()
    {
        _negotiation = new SubscriberNegotiation(_time, Options, action => action(), retry =>
        {
            if (_nothingToSend && !retry)
            {
                return false;
            }

            _sent.Add(retry);
            return true;
        }, _timeouts.Add, () => _failures++);
    }

    public void Dispose() => _negotiation.Dispose();

    private void Advance(int milliseconds) => _time.Advance(TimeSpan.FromMilliseconds(milliseconds));

    [Fact]
    public void Request_AfterAQuietSpell_GoesOutAfterTheFastDelay()
    {
        _negotiation.Request();
        Advance(9);
        Assert.Empty(_sent);
        Assert.True(_negotiation.Pending);
        Advance(1);
        Assert.Equal([false], _sent);
        Assert.True(_negotiation.InFlight);
        Assert.False(_negotiation.Pending);
    }

    [Fact]
    public void Request_ABurstOfChanges_IsOneNegotiation()
    {
        for (var i = 0; i < 10; i++)
        {
            _negotiation.Request();
        }

        Advance(10);
        Assert.Single(_sent);
    }

    [Fact]
    public void Request_SoonAfterTheLastNegotiation_WaitsForTheDebounce()
    {
        _negotiation.Request();
        Advance(10);
        _negotiation.Completed(coveredChanges: false);
        Advance(20);
        _negotiation.Request();
        _negotiation.Request();
        Advance(100);
        Assert.Single(_sent);
        Advance(50);
        Assert.Equal(2, _sent.Count);
    }

    [Fact]
    public void Request_WhileInFlight_IsSentRightAfterTheCompletion()
    {
        _negotiation.RequestNow();
        Assert.Single(_sent);
        _negotiation.Request();
        _negotiation.Request();
        Advance(1000);
        Assert.Single(_sent); // nothing goes out while the first waits
        Assert.True(_negotiation.Pending);

        _negotiation.Completed(coveredChanges: false);
        Assert.Equal(2, _sent.Count); // at once, not after a delay
        Assert.True(_negotiation.InFlight);
        _negotiation.Completed(coveredChanges: false);
        Assert.Equal(2, _sent.Count);
        Assert.False(_negotiation.InFlight);
    }

    [Fact]
    public void Completed_CoveringTheChanges_SendsNothingMore()
    {
        _negotiation.RequestNow();
        _negotiation.Request();
        _negotiation.Completed(coveredChanges: true);
        Advance(1000);
        Assert.Single(_sent);
        Assert.False(_negotiation.Pending);
    }

    [Fact]
    public void Completed_CoveringTheChanges_CancelsACoalescingWindow()
    {
        // v1: the client offered on its own while a change waited out its delay; the answer carried the change
        _negotiation.Request();
        _negotiation.Completed(coveredChanges: true);
        Advance(1000);
        Assert.Empty(_sent);
    }

    [Fact]
    public void Completed_NothingInFlight_IsIgnored()
    {
        _negotiation.Completed(coveredChanges: false);
        Advance(1000);
        Assert.Empty(_sent);
    }

    [Fact]
    public void Timeout_IsRetriedOnceThenFails()
    {
        _negotiation.RequestNow();
        _time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_timeouts);
        Advance(1);
        Assert.Equal([1], _timeouts);
        Assert.Equal([false, true], _sent);
        Assert.True(_negotiation.InFlight);

        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal([1, 2], _timeouts);
        Assert.Equal(1, _failures);
        Assert.Equal(2, _sent.Count);
        Assert.False(_negotiation.InFlight);
    }

    [Fact]
    public void Timeout_DoesNotBlockLaterChanges()
    {
        _negotiation.RequestNow();
        _negotiation.Request(); // a change while the client does not answer
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal([false, true], _sent); // the retry carries it (every send builds from the current state)
        _negotiation.Completed(coveredChanges: false);
        Assert.Equal(2, _sent.Count);
        Assert.False(_negotiation.Pending);
    }

    [Fact]
    public void Completed_ResetsTheTimeoutCount()
    {
        _negotiation.RequestNow();
        _time.Advance(TimeSpan.FromSeconds(15));
        _negotiation.Completed(coveredChanges: false);
        _negotiation.RequestNow();
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal([1, 1], _timeouts);
        Assert.Equal(0, _failures);
    }

    [Fact]
    public void Request_NothingToSend_LeavesNothingInFlight()
    {
        _nothingToSend = true;
        _negotiation.Request();
        Advance(10);
        Assert.Empty(_sent);
        Assert.False(_negotiation.InFlight);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(_timeouts);
    }

    [Fact]
    public void SentDirectly_IsTrackedLikeAnyNegotiation()
    {
        _negotiation.Request();
        _negotiation.SentDirectly(); // an ICE restart offer carries the change
        Assert.True(_negotiation.InFlight);
        Assert.False(_negotiation.Pending);
        Advance(1000);
        Assert.Empty(_sent);
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal([1], _timeouts);
    }

    [Fact]
    public void TimerFiringAheadOfTheClock_StillNegotiates()
    {
        // real timers may fire a little before the monotonic clock says the due time came
        var time = new ManualTimeProvider();
        var sent = 0;
        using var negotiation = new SubscriberNegotiation(new EarlyTimers(time, TimeSpan.FromMilliseconds(2)), Options, a => a(), _ => ++sent > 0, _ => { }, () => { });
        negotiation.Request();
        time.Advance(TimeSpan.FromMilliseconds(8)); // fires 2 ms early: waits out the rest
        Assert.Equal(0, sent);
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(1, sent);
        Assert.True(negotiation.InFlight);
    }

    /// <summary>A clock whose timers fire <c>early</c> before their due time once (re-arming then works exactly).</summary>
    private sealed class EarlyTimers(ManualTimeProvider inner, TimeSpan early) : TimeProvider
    {
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new Early(inner.CreateTimer(callback, state, Shift(dueTime), period), this);

        private bool _shifted;

        private TimeSpan Shift(TimeSpan due)
        {
            if (_shifted || due == Timeout.InfiniteTimeSpan)
            {
                return due;
            }

            _shifted = true;
            return due > early ? due - early : TimeSpan.Zero;
        }

        private sealed class Early(ITimer timer, EarlyTimers owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(owner.Shift(dueTime), period);

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    [Fact]
    public void Dispose_StopsEverything()
    {
        _negotiation.Request();
        _negotiation.Dispose();
        Advance(1000);
        _negotiation.RequestNow();
        Assert.Empty(_sent);
    }
}
