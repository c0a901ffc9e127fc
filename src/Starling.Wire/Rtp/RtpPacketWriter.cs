using System.Buffers.Binary;

namespace Starling.Wire.Rtp;

/// <summary>
/// Builds a new RTP packet (RFC 3550 §5.1, extensions RFC 8285) into a caller-supplied span, in wire order:
/// fixed header (constructor) → CSRCs → extension elements → payload → padding → <see cref="TryComplete"/>.
/// Allocation-free. Extensions start in the one-byte form (0xBEDE) and the block is converted to the two-byte
/// form (0x1000) in place as soon as an element needs it (id above 14, or a value empty or longer than 16 bytes).
/// Every call returns false once the buffer is too small or a call comes out of order; after that the writer
/// stays failed. (A builder rather than <c>GetSize</c>/<c>TryWrite</c>: the extension set is open-ended.)
/// <code>
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |                             SSRC                              |
/// |                       CSRC list ...                           |
/// |      0xBEDE / 0x1000          |        length in words        |
/// |                extension elements ... + 0x00 padding          |
/// |                           payload ...                         |
/// |                 padding ...                   | padding count |
/// </code>
/// </summary>
internal ref struct RtpPacketWriter
{
    private const int StageCsrc = 0;
    private const int StageExtensions = 1;
    private const int StagePayload = 2;
    private const int StageDone = 3;

    private readonly Span<byte> _buffer;
    private int _length;
    private int _stage;
    private int _extensionStart;
    private bool _twoByte;
    private bool _failed;

    public RtpPacketWriter(Span<byte> buffer, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, bool marker = false)
    {
        _buffer = buffer;
        if (buffer.Length < RtpPacket.FixedHeaderSize || payloadType > 127)
        {
            _failed = true;
            return;
        }

        buffer[0] = RtpPacket.Version2 << 6;
        buffer[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], ssrc);
        _length = RtpPacket.FixedHeaderSize;
    }

    public readonly bool Failed => _failed;

    /// <summary>Bytes written so far (the whole packet after <see cref="TryComplete"/>).</summary>
    public readonly int Length => _failed ? 0 : _length;

    public readonly ReadOnlySpan<byte> Written => _failed ? default : _buffer[.._length];

    /// <summary>Appends a contributing source (at most 15), before any extension or payload.</summary>
    public bool AddCsrc(uint csrc)
    {
        if (_failed || _stage != StageCsrc || (_buffer[0] & 0x0F) == 15 || !Ensure(4))
        {
            return Fail();
        }

        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_length..], csrc);
        _length += 4;
        _buffer[0]++;
        return true;
    }

    /// <summary>Appends an extension element (id 1–255, value 0–255 bytes).</summary>
    public bool AddExtension(byte id, ReadOnlySpan<byte> value)
    {
        if (!TryReserveExtension(id, value.Length, out var destination))
        {
            return false;
        }

        value.CopyTo(destination);
        return true;
    }

    /// <summary>Appends an extension element and hands back its value bytes to fill in.</summary>
    public bool TryReserveExtension(byte id, int length, out Span<byte> value)
    {
        value = default;
        if (_failed || _stage > StageExtensions || id == 0 || length is < 0 or > 255)
        {
            return Fail();
        }

        if (_stage == StageCsrc)
        {
            if (!Ensure(4))
            {
                return Fail();
            }

            _extensionStart = _length + 4;
            _length = _extensionStart;
            _stage = StageExtensions;
            _buffer[0] |= 0x10;
        }

        if (!_twoByte && (id > 14 || length is 0 or > 16) && !ConvertToTwoByte())
        {
            return Fail();
        }

        var headerSize = _twoByte ? 2 : 1;
        if (!Ensure(headerSize + length))
        {
            return Fail();
        }

        if (_twoByte)
        {
            _buffer[_length] = id;
            _buffer[_length + 1] = (byte)length;
        }
        else
        {
            _buffer[_length] = (byte)((id << 4) | (length - 1));
        }

        value = _buffer.Slice(_length + headerSize, length);
        _length += headerSize + length;
        return true;
    }

    /// <summary>Appends payload bytes (may be called more than once, e.g. an RTX original sequence number and then the payload).</summary>
    public bool AddPayload(ReadOnlySpan<byte> payload)
    {
        if (!TryReservePayload(payload.Length, out var destination))
        {
            return false;
        }

        payload.CopyTo(destination);
        return true;
    }

    /// <summary>Appends <paramref name="length"/> payload bytes and hands them back to fill in.</summary>
    public bool TryReservePayload(int length, out Span<byte> payload)
    {
        payload = default;
        if (_failed || _stage == StageDone || length < 0 || !CloseExtensions() || !Ensure(length))
        {
            return Fail();
        }

        payload = _buffer.Slice(_length, length);
        _length += length;
        return true;
    }

    /// <summary>
    /// Finishes the packet, adding <paramref name="paddingLength"/> bytes of RTP padding (1–255, the last one the
    /// count; 0 for none) and setting P.
    /// </summary>
    public bool TryComplete(out int length, int paddingLength = 0)
    {
        length = 0;
        if (_failed || _stage == StageDone || paddingLength is < 0 or > 255 || !CloseExtensions() || !Ensure(paddingLength))
        {
            return Fail();
        }

        if (paddingLength > 0)
        {
            _buffer.Slice(_length, paddingLength - 1).Clear();
            _buffer[_length + paddingLength - 1] = (byte)paddingLength;
            _length += paddingLength;
            _buffer[0] |= 0x20;
        }

        _stage = StageDone;
        length = _length;
        return true;
    }

    private bool CloseExtensions()
    {
        if (_stage == StageExtensions)
        {
            var used = _length - _extensionStart;
            var padded = (used + 3) & ~3;
            if (!Ensure(padded - used))
            {
                return false;
            }

            _buffer.Slice(_length, padded - used).Clear();
            _length = _extensionStart + padded;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_extensionStart - 4)..], _twoByte ? RtpPacket.TwoByteProfile : RtpPacket.OneByteProfile);
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_extensionStart - 2)..], (ushort)(padded / 4));
        }

        if (_stage < StagePayload)
        {
            _stage = StagePayload;
        }

        return true;
    }

    /// <summary>Rewrites the one-byte elements written so far as two-byte ones (each grows by one byte).</summary>
    private bool ConvertToTwoByte()
    {
        var count = 0;
        for (var offset = _extensionStart; offset < _length; offset += 2 + (_buffer[offset] & 0x0F))
        {
            count++;
        }

        if (!Ensure(count))
        {
            return false;
        }

        var end = _length;
        for (var offset = _extensionStart; offset < end;)
        {
            var header = _buffer[offset];
            var valueLength = (header & 0x0F) + 1;
            _buffer[(offset + 1)..end].CopyTo(_buffer[(offset + 2)..]);
            _buffer[offset] = (byte)(header >> 4);
            _buffer[offset + 1] = (byte)valueLength;
            offset += 2 + valueLength;
            end++;
        }

        _length = end;
        _twoByte = true;
        return true;
    }

    private readonly bool Ensure(int count) => _buffer.Length - _length >= count;

    private bool Fail()
    {
        _failed = true;
        return false;
    }
}
