using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Walks the packet statuses and receive deltas of a transport-cc feedback validated by
/// <see cref="RtcpTransportCc.TryRead"/>, in sequence number order; allocation-free, usable with <c>foreach</c>.
/// </summary>
internal ref struct TransportCcEnumerator
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _chunkOffset;
    private int _deltaOffset;
    private int _remaining;
    private ushort _sequenceNumber;
    private long _time;
    private ushort _chunk;
    private int _chunkUsed;
    private int _chunkCapacity;
    private TransportCcPacketResult _current;

    internal TransportCcEnumerator(ReadOnlySpan<byte> payload, int chunkStart, int deltaStart, int statusCount, ushort baseSequenceNumber, long referenceMicroseconds)
    {
        _payload = payload;
        _chunkOffset = chunkStart;
        _deltaOffset = deltaStart;
        _remaining = statusCount;
        _sequenceNumber = baseSequenceNumber;
        _time = referenceMicroseconds;
        _chunk = 0;
        _chunkUsed = 0;
        _chunkCapacity = 0;
        _current = default;
    }

    public readonly TransportCcPacketResult Current => _current;

    public readonly TransportCcEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_remaining > 0)
        {
            if (_chunkUsed == _chunkCapacity)
            {
                if (_payload.Length - _chunkOffset < 2)
                {
                    _remaining = 0;
                    return false;
                }

                _chunk = BinaryPrimitives.ReadUInt16BigEndian(_payload[_chunkOffset..]);
                _chunkOffset += 2;
                _chunkUsed = 0;
                _chunkCapacity = RtcpTransportCc.GetChunkCapacity(_chunk);
                continue;
            }

            var status = (TransportCcStatus)RtcpTransportCc.GetChunkSymbol(_chunk, _chunkUsed++);
            var delta = 0;
            if (status == TransportCcStatus.SmallDelta && _deltaOffset < _payload.Length)
            {
                delta = _payload[_deltaOffset++] * RtcpTransportCc.DeltaUnitMicroseconds;
            }
            else if (status == TransportCcStatus.LargeOrNegativeDelta && _payload.Length - _deltaOffset >= 2)
            {
                delta = BinaryPrimitives.ReadInt16BigEndian(_payload[_deltaOffset..]) * RtcpTransportCc.DeltaUnitMicroseconds;
                _deltaOffset += 2;
            }
            else if (status != TransportCcStatus.NotReceived)
            {
                _remaining = 0;
                return false;
            }

            _time += delta;
            _current = new TransportCcPacketResult(_sequenceNumber, status, delta, status == TransportCcStatus.NotReceived ? 0 : _time);
            _sequenceNumber++;
            _remaining--;
            return true;
        }

        return false;
    }
}
