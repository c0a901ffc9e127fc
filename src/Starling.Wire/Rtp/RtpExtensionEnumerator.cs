namespace Starling.Wire.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 extension block; allocation-free, usable with <c>foreach</c>.
/// <code>
/// One-byte form (§4.2), profile 0xBEDE:         Two-byte form (§4.3), profile 0x100X:
///  0 1 2 3 4 5 6 7                               0                   1
/// +-+-+-+-+-+-+-+-+                              0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// |  ID   |  len  |  data (len+1 bytes) ...     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// +-+-+-+-+-+-+-+-+                              |       ID      |     length    | data (length bytes) ...
///                                                +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A 0x00 byte between elements is padding and is skipped. In the one-byte form, id 15 ends processing
/// (§4.2) and so does id 0 with a non-zero length (as libwebrtc does). An element running past the block sets
/// <see cref="IsMalformed"/> and ends the walk.
/// </summary>
internal ref struct RtpExtensionEnumerator
{
    private readonly ReadOnlySpan<byte> _packet;
    private readonly RtpExtensionForm _form;
    private readonly int _end;
    private int _next;
    private RtpHeaderExtension _current;

    /// <param name="packet">The whole packet.</param>
    /// <param name="form">The block's form; anything but one- or two-byte yields no elements.</param>
    /// <param name="start">Offset of the first element (just after the 4-byte block header).</param>
    /// <param name="end">Offset just past the block.</param>
    public RtpExtensionEnumerator(ReadOnlySpan<byte> packet, RtpExtensionForm form, int start, int end)
    {
        _packet = packet;
        _form = form;
        _next = start;
        _end = Math.Min(end, packet.Length);
        _current = default;
        IsMalformed = false;
    }

    public readonly RtpHeaderExtension Current => _current;

    /// <summary>True once the walk stopped at an element that overruns the block.</summary>
    public bool IsMalformed { readonly get; private set; }

    public readonly RtpExtensionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_form is not (RtpExtensionForm.OneByte or RtpExtensionForm.TwoByte))
        {
            return false;
        }

        while (_next < _end)
        {
            var first = _packet[_next];
            if (first == 0)
            {
                _next++;
                continue;
            }

            int id;
            int length;
            int headerSize;
            if (_form == RtpExtensionForm.OneByte)
            {
                id = first >> 4;
                if (id is 0 or 15)
                {
                    _next = _end;
                    return false;
                }

                length = (first & 0x0F) + 1;
                headerSize = 1;
            }
            else
            {
                if (_end - _next < 2)
                {
                    return Fail();
                }

                id = first;
                length = _packet[_next + 1];
                headerSize = 2;
            }

            var valueOffset = _next + headerSize;
            if (_end - valueOffset < length)
            {
                return Fail();
            }

            _current = new RtpHeaderExtension((byte)id, _packet.Slice(valueOffset, length), valueOffset);
            _next = valueOffset + length;
            return true;
        }

        return false;
    }

    private bool Fail()
    {
        IsMalformed = true;
        _next = _end;
        return false;
    }
}
