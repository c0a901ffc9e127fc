using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// Walks the items of every chunk of an SDES payload (RFC 3550 §6.5); allocation-free, usable with <c>foreach</c>.
/// Each chunk is an SSRC/CSRC, items (type, length, text), and one to four null octets up to the next 32-bit
/// boundary. A chunk that runs past the payload or lacks its terminator sets <see cref="IsMalformed"/>.
/// </summary>
internal ref struct RtcpSdesItemEnumerator
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _chunksLeft;
    private int _offset;
    private bool _inChunk;
    private uint _ssrc;
    private RtcpSdesItem _current;

    public RtcpSdesItemEnumerator(ReadOnlySpan<byte> payload, int chunkCount)
    {
        _payload = payload;
        _chunksLeft = chunkCount;
        _offset = 0;
        _inChunk = false;
        _ssrc = 0;
        _current = default;
        IsMalformed = false;
    }

    public readonly RtcpSdesItem Current => _current;

    public bool IsMalformed { readonly get; private set; }

    public readonly RtcpSdesItemEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            if (!_inChunk)
            {
                if (_chunksLeft == 0)
                {
                    return false;
                }

                if (_payload.Length - _offset < 4)
                {
                    return Fail();
                }

                _ssrc = BinaryPrimitives.ReadUInt32BigEndian(_payload[_offset..]);
                _offset += 4;
                _chunksLeft--;
                _inChunk = true;
            }

            if (_offset >= _payload.Length)
            {
                return Fail();
            }

            var type = _payload[_offset];
            if (type == 0)
            {
                // The null item ends the chunk; the chunk is padded with nulls to a 32-bit boundary.
                _offset = (_offset + 4) & ~3;
                if (_offset > _payload.Length)
                {
                    return Fail();
                }

                _inChunk = false;
                continue;
            }

            if (_payload.Length - _offset < 2 || _payload.Length - _offset - 2 < _payload[_offset + 1])
            {
                return Fail();
            }

            var length = _payload[_offset + 1];
            _current = new RtcpSdesItem(_ssrc, type, _payload.Slice(_offset + 2, length));
            _offset += 2 + length;
            return true;
        }
    }

    private bool Fail()
    {
        IsMalformed = true;
        _chunksLeft = 0;
        _inChunk = false;
        return false;
    }
}
