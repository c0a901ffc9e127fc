namespace Starling.Sfu.Forwarding;

/// <summary>
/// Incoming → outgoing sequence offsets within one source. Every packet dropped in order (padding, filtered) shifts
/// the offset of all later packets by one so the outgoing sequence stays contiguous; this map remembers the ranges of
/// incoming sequence numbers that share an offset, so a late packet is placed where it would have gone, and a late
/// copy of a dropped packet (which has no outgoing number) is recognised.
/// </summary>
/// <remarks>
/// <code>
///   incoming:  100 101 [102 dropped] 103 104 [105 106 dropped] 107 ...
///   ranges:    [100,102) off o   [103,105) off o+1   [107,∞) off o+3
/// </code>
/// A fixed ring of ranges; when it is full the oldest range is forgotten and packets from it count as out of window.
/// Holes from upstream loss stay inside a range, so they keep their outgoing numbers (the loss stays visible).
/// </remarks>
internal sealed class SequenceOffsetMap
{
    private readonly Range[] _ranges;
    private int _newest;
    private int _count;

    public SequenceOffsetMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ranges = new Range[capacity];
    }

    /// <summary>The offset (incoming − outgoing) for packets after the newest drop.</summary>
    public long CurrentOffset => _ranges[_newest].Offset;

    /// <summary>Starts a new source: one open range from <paramref name="start"/> with <paramref name="offset"/>.</summary>
    public void Reset(long start, long offset)
    {
        _newest = 0;
        _count = 1;
        _ranges[0] = new Range { Start = start, End = long.MaxValue, Offset = offset };
    }

    /// <summary>
    /// Records that <paramref name="sequence"/>, newer than everything seen, was dropped: later packets move down by one.
    /// </summary>
    public void Exclude(long sequence)
    {
        ref var open = ref _ranges[_newest];
        if (sequence < open.Start)
        {
            return;
        }

        if (sequence == open.Start)
        {
            open.Start++;
            open.Offset++;
            return;
        }

        var offset = open.Offset + 1;
        open.End = sequence;
        _newest = (_newest + 1) % _ranges.Length;
        _count = Math.Min(_count + 1, _ranges.Length);
        _ranges[_newest] = new Range { Start = sequence + 1, End = long.MaxValue, Offset = offset };
    }

    /// <summary>The offset for <paramref name="sequence"/>; false if it was dropped, precedes the source, or is forgotten.</summary>
    public bool TryGetOffset(long sequence, out long offset)
    {
        var index = _newest;
        for (var i = 0; i < _count; i++)
        {
            ref readonly var range = ref _ranges[index];
            if (sequence >= range.Start)
            {
                offset = range.Offset;
                return sequence < range.End;
            }

            index = index == 0 ? _ranges.Length - 1 : index - 1;
        }

        offset = 0;
        return false;
    }

    private struct Range
    {
        public long Start;
        public long End;
        public long Offset;
    }
}
