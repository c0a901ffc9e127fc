namespace Starling.Sfu.Sequencing;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits the same way <see cref="SequenceUnwrapper"/> extends sequence numbers:
/// each value is placed at the signed 32-bit distance from the highest timestamp so far. Timestamps of reordered
/// packets (and B-frame style non-monotonic timestamps) stay correct as long as they are within 2^31 ticks.
/// </summary>
/// <remarks>A mutable struct: keep it in a field and call it in place. The first value is extended to itself.</remarks>
internal struct TimestampUnwrapper
{
    private long _highest;
    private bool _started;

    /// <summary>True once a value was unwrapped.</summary>
    public readonly bool Started => _started;

    /// <summary>The highest extended timestamp seen (undefined before <see cref="Started"/>).</summary>
    public readonly long Highest => _highest;

    /// <summary>Extends <paramref name="timestamp"/> and advances <see cref="Highest"/> when it is newer.</summary>
    public long Unwrap(uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _highest = timestamp;
            return timestamp;
        }

        var extended = _highest + SerialNumber.Difference(timestamp, (uint)_highest);
        if (extended > _highest)
        {
            _highest = extended;
        }

        return extended;
    }

    /// <summary>Extends <paramref name="timestamp"/> relative to <see cref="Highest"/> without changing state.</summary>
    public readonly long Peek(uint timestamp) =>
        _started ? _highest + SerialNumber.Difference(timestamp, (uint)_highest) : timestamp;

    /// <summary>Forgets all state.</summary>
    public void Reset() => this = default;
}
