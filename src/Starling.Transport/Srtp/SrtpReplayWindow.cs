namespace Starling.Transport.Srtp;

/// <summary>
/// Sliding-window replay list (RFC 3711 §3.3.2): remembers the highest authenticated index and a 64-bit
/// bitmap of the indices just below it. A mutable struct: keep it in a field and call it in place.
/// </summary>
internal struct SrtpReplayWindow
{
    /// <summary>Window size in packets.</summary>
    public const int Size = 64;

    private ulong _highest;
    private ulong _mask;
    private bool _initialized;

    /// <summary>Highest index accepted so far (0 before the first).</summary>
    public readonly ulong Highest => _highest;

    /// <summary>Checks an index before authentication; does not change the window.</summary>
    public readonly SrtpStatus Check(ulong index)
    {
        if (!_initialized || index > _highest)
        {
            return SrtpStatus.Ok;
        }

        var delta = _highest - index;
        if (delta >= Size)
        {
            return SrtpStatus.TooOld;
        }

        return ((_mask >> (int)delta) & 1UL) != 0 ? SrtpStatus.Replayed : SrtpStatus.Ok;
    }

    /// <summary>Records an authenticated index.</summary>
    public void Accept(ulong index)
    {
        if (!_initialized)
        {
            _initialized = true;
            _highest = index;
            _mask = 1UL;
            return;
        }

        if (index > _highest)
        {
            var shift = index - _highest;
            _mask = shift >= Size ? 1UL : (_mask << (int)shift) | 1UL;
            _highest = index;
            return;
        }

        var delta = _highest - index;
        if (delta < Size)
        {
            _mask |= 1UL << (int)delta;
        }
    }
}
