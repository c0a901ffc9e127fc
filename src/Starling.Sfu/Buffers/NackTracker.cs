namespace Starling.Sfu.Buffers;

/// <summary>
/// Tracks holes in one received RTP stream and decides when to NACK them (RFC 4585 §6.2.1 generic NACK):
/// a missing sequence number is first NACKed <see cref="NackTrackerOptions.InitialDelay"/> after its hole was
/// seen, then again every RTT (clamped to [<see cref="NackTrackerOptions.MinRetryInterval"/>,
/// <see cref="NackTrackerOptions.MaxRetryInterval"/>]) up to <see cref="NackTrackerOptions.MaxNacks"/> times, and is
/// given up after <see cref="NackTrackerOptions.MaxAge"/>. A packet that arrives (late or retransmitted) leaves the list.
/// </summary>
/// <remarks>
/// Times are <see cref="TimeProvider.GetTimestamp"/> values of the provider whose frequency is passed to the constructor.
/// Entries live in one preallocated array sorted by sequence number; no call allocates. Not thread-safe: the owner
/// (<see cref="ReceiveStream"/>) serializes calls.
/// </remarks>
internal sealed class NackTracker
{
    private readonly Entry[] _entries;
    private readonly long _initialDelay;
    private readonly long _minInterval;
    private readonly long _maxInterval;
    private readonly long _maxAge;
    private readonly int _maxNacks;
    private readonly long _frequency;
    private int _count;
    private long _highest;
    private bool _started;
    private long _rtt;

    public NackTracker(NackTrackerOptions? options, long timestampFrequency)
    {
        options ??= NackTrackerOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxNacks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        _frequency = timestampFrequency;
        _entries = new Entry[options.Capacity];
        _initialDelay = ToTicks(options.InitialDelay);
        _minInterval = ToTicks(options.MinRetryInterval);
        _maxInterval = ToTicks(options.MaxRetryInterval);
        _maxAge = ToTicks(options.MaxAge);
        _maxNacks = options.MaxNacks;
        _rtt = ToTicks(options.DefaultRtt);
    }

    /// <summary>Sequence numbers currently missing and not given up.</summary>
    public int MissingCount => _count;

    /// <summary>Missing packets given up (too many NACKs, too old, or pushed out by newer holes).</summary>
    public long GivenUp { get; private set; }

    /// <summary>NACK entries produced by <see cref="GetNacks"/> in total.</summary>
    public long NacksSent { get; private set; }

    /// <summary>
    /// Set when a hole was too large to track; the stream needs a keyframe instead of retransmissions.
    /// Cleared by <see cref="TakeKeyframeNeeded"/>.
    /// </summary>
    public bool KeyframeNeeded { get; private set; }

    /// <summary>Round-trip time to the sender; sets the retry interval.</summary>
    public TimeSpan Rtt
    {
        get => MediaTime.ToTimeSpan(_rtt, _frequency);
        set => _rtt = ToTicks(value);
    }

    /// <summary>Records the arrival of <paramref name="extendedSequence"/> at <paramref name="now"/>.</summary>
    public void OnPacket(long extendedSequence, long now)
    {
        if (!_started)
        {
            _started = true;
            _highest = extendedSequence;
            return;
        }

        if (extendedSequence <= _highest)
        {
            Remove(extendedSequence);
            return;
        }

        var first = _highest + 1;
        _highest = extendedSequence;
        var missing = extendedSequence - first;
        if (missing == 0)
        {
            return;
        }

        if (missing > _entries.Length)
        {
            GivenUp += _count + missing;
            _count = 0;
            KeyframeNeeded = true;
            return;
        }

        var overflow = _count + (int)missing - _entries.Length;
        if (overflow > 0)
        {
            Array.Copy(_entries, overflow, _entries, 0, _count - overflow);
            _count -= overflow;
            GivenUp += overflow;
        }

        for (var seq = first; seq < extendedSequence; seq++)
        {
            _entries[_count++] = new Entry { Sequence = seq, DetectedAt = now };
        }
    }

    /// <summary>
    /// Writes the extended sequence numbers due for a NACK at <paramref name="now"/> to <paramref name="destination"/>
    /// (ascending) and marks them sent; drops entries that are given up. Returns how many were written; entries that
    /// do not fit stay due for the next call.
    /// </summary>
    public int GetNacks(long now, Span<long> destination)
    {
        var interval = Math.Clamp(_rtt, _minInterval, _maxInterval);
        var written = 0;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var entry = _entries[i];
            var expired = now - entry.DetectedAt > _maxAge
                || (entry.Tries >= _maxNacks && now - entry.LastSentAt >= interval);
            if (expired)
            {
                GivenUp++;
                continue;
            }

            var due = entry.Tries == 0 ? entry.DetectedAt + _initialDelay : entry.LastSentAt + interval;
            if (entry.Tries < _maxNacks && now >= due && written < destination.Length)
            {
                destination[written++] = entry.Sequence;
                entry.Tries++;
                entry.LastSentAt = now;
            }

            _entries[kept++] = entry;
        }

        _count = kept;
        NacksSent += written;
        return written;
    }

    /// <summary>Returns and clears <see cref="KeyframeNeeded"/>.</summary>
    public bool TakeKeyframeNeeded()
    {
        var needed = KeyframeNeeded;
        KeyframeNeeded = false;
        return needed;
    }

    /// <summary>Forgets all state (new SSRC).</summary>
    public void Reset()
    {
        _count = 0;
        _started = false;
        KeyframeNeeded = false;
    }

    private void Remove(long sequence)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var value = _entries[mid].Sequence;
            if (value == sequence)
            {
                Array.Copy(_entries, mid + 1, _entries, mid, _count - mid - 1);
                _count--;
                return;
            }

            if (value < sequence)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
    }

    private long ToTicks(TimeSpan value) => MediaTime.ToTicks(value, _frequency);

    private struct Entry
    {
        public long Sequence;
        public long DetectedAt;
        public long LastSentAt;
        public int Tries;
    }
}
