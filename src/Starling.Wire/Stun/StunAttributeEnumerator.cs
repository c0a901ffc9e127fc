using System.Buffers.Binary;

namespace Starling.Wire.Stun;

/// <summary>
/// Walks the attributes of a message already validated by <see cref="StunMessage.TryRead"/>; allocation-free,
/// usable with <c>foreach</c>.
/// </summary>
internal ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private int _next;
    private StunAttribute _current;

    public StunAttributeEnumerator(ReadOnlySpan<byte> message)
    {
        _message = message;
        _next = StunMessage.HeaderSize;
        _current = default;
    }

    public readonly StunAttribute Current => _current;

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_message.Length - _next < 4)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(_message[_next..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(_message[(_next + 2)..]);
        if (_next + 4 + length > _message.Length)
        {
            return false;
        }

        _current = new StunAttribute(type, _message.Slice(_next + 4, length), _next);
        _next += 4 + StunMessage.Pad(length);
        return true;
    }
}
