using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Lost sequence numbers of a generic NACK (RFC 4585 §6.2.1) in wire order: for each PID/BLP pair, PID and
/// then PID + i + 1 for every set bit i of BLP. Allocation-free, usable with <c>foreach</c>.
/// </summary>
internal ref struct RtcpNackEnumerator
{
    private readonly ReadOnlySpan<byte> _fci;
    private int _pair;
    private int _bit;
    private ushort _current;

    public RtcpNackEnumerator(ReadOnlySpan<byte> fci)
    {
        _fci = fci;
        _pair = 0;
        _bit = -1;
        _current = 0;
    }

    public readonly ushort Current => _current;

    public readonly RtcpNackEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while ((_pair * 4) + 4 <= _fci.Length)
        {
            var pid = BinaryPrimitives.ReadUInt16BigEndian(_fci[(_pair * 4)..]);
            if (_bit < 0)
            {
                _bit = 0;
                _current = pid;
                return true;
            }

            var blp = BinaryPrimitives.ReadUInt16BigEndian(_fci[((_pair * 4) + 2)..]);
            while (_bit < 16)
            {
                var bit = _bit++;
                if ((blp & (1 << bit)) != 0)
                {
                    _current = (ushort)(pid + bit + 1);
                    return true;
                }
            }

            _pair++;
            _bit = -1;
        }

        return false;
    }
}
