namespace Starling.Wire.Rtcp;

/// <summary>
/// Walks the packets of a compound RTCP datagram (RFC 3550 §6.1) with <c>foreach</c>; allocation-free.
/// Walking stops at the first malformed packet and sets <see cref="IsMalformed"/>, so a caller that must
/// reject the whole datagram checks it (or calls <see cref="Validate"/> first). The compound rules of RFC 3550
/// §6.1 (SR/RR first, CNAME present) are not enforced: WebRTC sends reduced-size RTCP (RFC 5506) with a lone
/// feedback packet. Padding is accepted on any packet, as libwebrtc does (transport-cc uses it).
/// </summary>
internal ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;
    private RtcpPacket _current;

    public RtcpCompoundReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        _current = default;
        IsMalformed = false;
    }

    public readonly RtcpPacket Current => _current;

    /// <summary>True once the walk stopped at a malformed packet (or trailing bytes).</summary>
    public bool IsMalformed { readonly get; private set; }

    public readonly RtcpCompoundReader GetEnumerator() => this;

    /// <summary>True when <paramref name="data"/> is one or more well-formed RTCP packets and nothing else.</summary>
    public static bool Validate(ReadOnlySpan<byte> data)
    {
        var reader = new RtcpCompoundReader(data);
        var count = 0;
        while (reader.MoveNext())
        {
            count++;
        }

        return count > 0 && !reader.IsMalformed;
    }

    public bool MoveNext()
    {
        if (_offset >= _data.Length)
        {
            return false;
        }

        if (!RtcpPacket.TryRead(_data[_offset..], out _current, out var read))
        {
            IsMalformed = true;
            _offset = _data.Length;
            return false;
        }

        _offset += read;
        return true;
    }
}
