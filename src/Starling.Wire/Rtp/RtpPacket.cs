using System.Buffers.Binary;

namespace Starling.Wire.Rtp;

/// <summary>
/// A read-only, allocation-free view of one RTP packet (RFC 3550 §5.1, header extensions RFC 3550 §5.3.1 and
/// RFC 8285).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers (CC)        |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  defined by profile (0xBEDE)  |     length (32-bit words)     |  X = 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  header extension elements ...                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           payload ...                         |
/// |                               +-------------------------------+
/// |                               | padding ...   | padding count |  P = 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="TryRead"/> validates everything the accessors rely on, so they never fail afterwards.
/// For rewriting a packet in place see <see cref="RtpRewriter"/>; for building one, <see cref="RtpPacketWriter"/>.
/// </summary>
internal readonly ref struct RtpPacket
{
    public const int FixedHeaderSize = 12;
    public const int Version2 = 2;
    public const ushort OneByteProfile = 0xBEDE;
    public const ushort TwoByteProfile = 0x1000;
    public const ushort TwoByteProfileMask = 0xFFF0;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _extensionStart;
    private readonly int _headerLength;
    private readonly int _paddingLength;

    private RtpPacket(ReadOnlySpan<byte> data, int extensionStart, int headerLength, int paddingLength)
    {
        _data = data;
        _extensionStart = extensionStart;
        _headerLength = headerLength;
        _paddingLength = paddingLength;
    }

    /// <summary>The whole packet.</summary>
    public ReadOnlySpan<byte> Span => _data;

    public int Length => _data.Length;

    public int Version => _data[0] >> 6;

    public bool HasPadding => (_data[0] & 0x20) != 0;

    public bool HasExtension => (_data[0] & 0x10) != 0;

    public int CsrcCount => _data[0] & 0x0F;

    public bool Marker => (_data[1] & 0x80) != 0;

    public byte PayloadType => (byte)(_data[1] & 0x7F);

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_data[2..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_data[4..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_data[8..]);

    /// <summary>The CSRC list: <see cref="CsrcCount"/> 32-bit big-endian identifiers.</summary>
    public ReadOnlySpan<byte> CsrcBytes => _data.Slice(FixedHeaderSize, CsrcCount * 4);

    /// <summary>Fixed header, CSRC list and extension block (with its 4-byte header): where the payload starts.</summary>
    public int HeaderLength => _headerLength;

    /// <summary>Padding bytes at the end, including the count byte itself (0 when P = 0).</summary>
    public int PaddingLength => _paddingLength;

    public ReadOnlySpan<byte> Payload => _data[_headerLength..(_data.Length - _paddingLength)];

    /// <summary>The 16-bit "defined by profile" field of the extension block, or 0 without one.</summary>
    public ushort ExtensionProfile => HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_data[(_extensionStart - 4)..]) : (ushort)0;

    public RtpExtensionForm ExtensionForm => GetForm(HasExtension, ExtensionProfile);

    /// <summary>Offset of the extension elements (just after the 4-byte block header); 0 without a block.</summary>
    public int ExtensionOffset => HasExtension ? _extensionStart : 0;

    /// <summary>The extension elements and their padding (without the 4-byte block header).</summary>
    public ReadOnlySpan<byte> ExtensionData => HasExtension ? _data[_extensionStart.._headerLength] : default;

    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_data[(FixedHeaderSize + (index * 4))..]);
    }

    /// <summary>
    /// Parses and validates the whole datagram as one RTP packet. Returns false (never throws) when it is shorter
    /// than 12 bytes, the version is not 2, the CSRC list or extension block is truncated, an RFC 8285 element
    /// overruns its block, or the padding count is 0 or longer than what follows the header.
    /// <paramref name="bytesRead"/> is the whole source.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtpPacket packet, out int bytesRead)
    {
        packet = default;
        bytesRead = 0;
        if (source.Length < FixedHeaderSize || source[0] >> 6 != Version2)
        {
            return false;
        }

        var offset = FixedHeaderSize + ((source[0] & 0x0F) * 4);
        if (source.Length < offset)
        {
            return false;
        }

        var extensionStart = offset;
        if ((source[0] & 0x10) != 0)
        {
            if (source.Length - offset < 4)
            {
                return false;
            }

            var profile = BinaryPrimitives.ReadUInt16BigEndian(source[offset..]);
            var words = BinaryPrimitives.ReadUInt16BigEndian(source[(offset + 2)..]);
            extensionStart = offset + 4;
            offset = extensionStart + (words * 4);
            if (source.Length < offset)
            {
                return false;
            }

            var elements = new RtpExtensionEnumerator(source, GetForm(true, profile), extensionStart, offset);
            while (elements.MoveNext())
            {
            }

            if (elements.IsMalformed)
            {
                return false;
            }
        }

        var padding = 0;
        if ((source[0] & 0x20) != 0)
        {
            padding = source[^1];
            if (padding == 0 || source.Length - offset < padding)
            {
                return false;
            }
        }

        packet = new RtpPacket(source, extensionStart, offset, padding);
        bytesRead = source.Length;
        return true;
    }

    /// <summary>The RFC 8285 elements in wire order (none for an opaque profile).</summary>
    public RtpExtensionEnumerator GetExtensions() =>
        HasExtension ? new RtpExtensionEnumerator(_data, ExtensionForm, _extensionStart, _headerLength) : default;

    /// <summary>Finds the first element with local id <paramref name="id"/>.</summary>
    public bool TryGetExtension(byte id, out ReadOnlySpan<byte> value)
    {
        if (TryFindExtension(id, out var offset, out var length))
        {
            value = _data.Slice(offset, length);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Finds the first element with local id <paramref name="id"/>: where its value starts in the packet and how long it is.</summary>
    public bool TryFindExtension(byte id, out int offset, out int length)
    {
        if (id != 0)
        {
            foreach (var extension in GetExtensions())
            {
                if (extension.Id == id)
                {
                    offset = extension.Offset;
                    length = extension.Value.Length;
                    return true;
                }
            }
        }

        offset = 0;
        length = 0;
        return false;
    }

    internal static RtpExtensionForm GetForm(bool hasExtension, ushort profile) =>
        !hasExtension ? RtpExtensionForm.None
        : profile == OneByteProfile ? RtpExtensionForm.OneByte
        : (profile & TwoByteProfileMask) == TwoByteProfile ? RtpExtensionForm.TwoByte
        : RtpExtensionForm.Other;
}
