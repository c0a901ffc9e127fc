namespace Starling.Sfu.Sequencing;

/// <summary>
/// Extends 16-bit RTP sequence numbers to 64 bits (RFC 3550 A.1: the cycle count is the high part). Each value
/// is placed at the signed 16-bit distance from the highest value seen so far, so reordered packets from before
/// a wrap land in the previous cycle and the extended number is strictly monotonic in the real send order as long
/// as reordering and gaps stay below 32768 packets.
/// </summary>
/// <remarks>
/// A mutable struct: keep it in a field and call it in place. The first value is extended to itself (cycle 0);
/// a reordered packet from before the first wrap therefore gets a negative extended number, which is fine for
/// every consumer (masks and casts back to <see cref="ushort"/> still work). A forward jump of 32768 or more
/// cannot be told apart from a late packet; RFC 3550 A.1's probation for such restarts is the caller's business
/// (a new SSRC resets the unwrapper).
/// </remarks>
internal struct SequenceUnwrapper
{
    private long _highest;
    private bool _started;

    /// <summary>True once a value was unwrapped.</summary>
    public readonly bool Started => _started;

    /// <summary>The highest extended sequence number seen (undefined before <see cref="Started"/>).</summary>
    public readonly long Highest => _highest;

    /// <summary>Extends <paramref name="sequence"/> and advances <see cref="Highest"/> when it is newer.</summary>
    public long Unwrap(ushort sequence)
    {
        if (!_started)
        {
            _started = true;
            _highest = sequence;
            return sequence;
        }

        var extended = _highest + SerialNumber.Difference(sequence, (ushort)_highest);
        if (extended > _highest)
        {
            _highest = extended;
        }

        return extended;
    }

    /// <summary>Extends <paramref name="sequence"/> relative to <see cref="Highest"/> without changing state.</summary>
    public readonly long Peek(ushort sequence) =>
        _started ? _highest + SerialNumber.Difference(sequence, (ushort)_highest) : sequence;

    /// <summary>Forgets all state (a new SSRC or a restarted source).</summary>
    public void Reset() => this = default;
}
