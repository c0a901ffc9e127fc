namespace Starling.Wire.Rtcp;

/// <summary>
/// Produces the status symbols and delta ticks of a sorted arrival list, one sequence number at a time, for the
/// transport-cc writer. A value copy is an independent lookahead.
/// </summary>
internal ref struct TransportCcSymbolCursor
{
    private readonly ReadOnlySpan<TransportCcArrival> _arrivals;
    private int _index;
    private ushort _sequenceNumber;
    private long _lastTime;
    private int _remaining;

    public TransportCcSymbolCursor(ReadOnlySpan<TransportCcArrival> arrivals, ushort baseSequenceNumber, int statusCount, long referenceMicroseconds)
    {
        _arrivals = arrivals;
        _index = 0;
        _sequenceNumber = baseSequenceNumber;
        _lastTime = referenceMicroseconds;
        _remaining = statusCount;
    }

    public readonly int Remaining => _remaining;

    /// <summary>Next symbol: 0 not received, 1 small delta, 2 large delta; <paramref name="ticks"/> in 250 µs units.</summary>
    public bool Next(out int symbol, out int ticks)
    {
        symbol = 0;
        ticks = 0;
        if (_remaining == 0)
        {
            return false;
        }

        if (_index < _arrivals.Length && _arrivals[_index].SequenceNumber == _sequenceNumber)
        {
            ticks = (int)RtcpTransportCc.ToTicks(_arrivals[_index].ArrivalMicroseconds - _lastTime);
            _lastTime += (long)ticks * RtcpTransportCc.DeltaUnitMicroseconds;
            symbol = ticks is >= 0 and <= 255 ? 1 : 2;
            _index++;
        }

        _sequenceNumber++;
        _remaining--;
        return true;
    }

    public void Skip(int count)
    {
        for (var i = 0; i < count && Next(out _, out _); i++)
        {
        }
    }
}
