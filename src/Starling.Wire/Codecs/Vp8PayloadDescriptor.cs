namespace Starling.Wire.Codecs;

/// <summary>
/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 §4.2), and the key frame bit of the
/// VP8 payload header that follows it at the start of a frame (§4.3).
/// <code>
///        0 1 2 3 4 5 6 7
///       +-+-+-+-+-+-+-+-+
///       |X|R|N|S|R| PID | (REQUIRED)
///       +-+-+-+-+-+-+-+-+
///  X:   |I|L|T|K| RSV   | (OPTIONAL)
///       +-+-+-+-+-+-+-+-+
///  I:   |M| PictureID   | (OPTIONAL)
///       +-+-+-+-+-+-+-+-+
///  M:   |   PictureID   | (OPTIONAL, 15-bit picture id)
///       +-+-+-+-+-+-+-+-+
///  L:   |   TL0PICIDX   | (OPTIONAL)
///       +-+-+-+-+-+-+-+-+
///  T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///       +-+-+-+-+-+-+-+-+
///
///  VP8 payload header, first byte (S = 1, PID = 0):
///       |Size0|H| VER |P|   P = 0: key frame
/// </code>
/// An SFU switching simulcast layers rewrites the picture id and TL0PICIDX in place
/// (<see cref="TrySetPictureId"/>, <see cref="TrySetTl0PicIdx"/>) so the subscriber sees one continuous stream.
/// </summary>
internal readonly record struct Vp8PayloadDescriptor
{
    /// <summary>X: the extension byte is present (also implied by any of I, L, T, K when writing).</summary>
    public bool Extended { get; init; }

    /// <summary>N: the frame can be discarded without affecting any other frame.</summary>
    public bool NonReference { get; init; }

    /// <summary>S: the payload starts a VP8 partition.</summary>
    public bool StartOfPartition { get; init; }

    /// <summary>PID: the partition index (0–7).</summary>
    public byte PartitionIndex { get; init; }

    public bool HasPictureId { get; init; }

    /// <summary>M: the picture id is 15 bits (else 7).</summary>
    public bool HasLongPictureId { get; init; }

    public ushort PictureId { get; init; }

    public bool HasTl0PicIdx { get; init; }

    /// <summary>TL0PICIDX: running index of temporal layer 0 frames.</summary>
    public byte Tl0PicIdx { get; init; }

    /// <summary>T: <see cref="TemporalLayerId"/> and <see cref="LayerSync"/> are present.</summary>
    public bool HasTemporalLayerId { get; init; }

    /// <summary>TID (0–3).</summary>
    public byte TemporalLayerId { get; init; }

    /// <summary>Y: the frame depends only on temporal layer 0 (a layer sync point).</summary>
    public bool LayerSync { get; init; }

    /// <summary>K: <see cref="KeyIndex"/> is present.</summary>
    public bool HasKeyIndex { get; init; }

    /// <summary>KEYIDX (0–31): running index of key frames.</summary>
    public byte KeyIndex { get; init; }

    /// <summary>Descriptor length in bytes: where the VP8 payload starts.</summary>
    public int Size => 1 + (HasExtensions ? 1 : 0) + (HasPictureId ? (HasLongPictureId ? 2 : 1) : 0)
        + (HasTl0PicIdx ? 1 : 0) + (HasTemporalLayerId || HasKeyIndex ? 1 : 0);

    private bool HasExtensions => Extended || HasPictureId || HasTl0PicIdx || HasTemporalLayerId || HasKeyIndex;

    /// <summary>Reads the descriptor; false when a byte announced by X, I, M, L, T or K is missing.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out Vp8PayloadDescriptor descriptor, out int bytesRead)
    {
        descriptor = default;
        bytesRead = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        var first = source[0];
        var result = new Vp8PayloadDescriptor
        {
            NonReference = (first & 0x20) != 0,
            StartOfPartition = (first & 0x10) != 0,
            PartitionIndex = (byte)(first & 0x07),
        };
        var offset = 1;
        if ((first & 0x80) != 0)
        {
            if (source.Length < 2)
            {
                return false;
            }

            var flags = source[1];
            offset = 2;
            result = result with { Extended = true };
            if ((flags & 0x80) != 0)
            {
                if (source.Length <= offset)
                {
                    return false;
                }

                if ((source[offset] & 0x80) != 0)
                {
                    if (source.Length <= offset + 1)
                    {
                        return false;
                    }

                    result = result with { HasPictureId = true, HasLongPictureId = true, PictureId = (ushort)(((source[offset] & 0x7F) << 8) | source[offset + 1]) };
                    offset += 2;
                }
                else
                {
                    result = result with { HasPictureId = true, PictureId = source[offset] };
                    offset++;
                }
            }

            if ((flags & 0x40) != 0)
            {
                if (source.Length <= offset)
                {
                    return false;
                }

                result = result with { HasTl0PicIdx = true, Tl0PicIdx = source[offset++] };
            }

            if ((flags & 0x30) != 0)
            {
                if (source.Length <= offset)
                {
                    return false;
                }

                var tk = source[offset++];
                if ((flags & 0x20) != 0)
                {
                    result = result with { HasTemporalLayerId = true, TemporalLayerId = (byte)(tk >> 6), LayerSync = (tk & 0x20) != 0 };
                }

                if ((flags & 0x10) != 0)
                {
                    result = result with { HasKeyIndex = true, KeyIndex = (byte)(tk & 0x1F) };
                }
            }
        }

        descriptor = result;
        bytesRead = offset;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = Size;
        if (destination.Length < size || PartitionIndex > 7 || TemporalLayerId > 3 || KeyIndex > 31
            || PictureId > (HasLongPictureId ? 0x7FFF : 0x7F))
        {
            return false;
        }

        destination[0] = (byte)((HasExtensions ? 0x80 : 0) | (NonReference ? 0x20 : 0) | (StartOfPartition ? 0x10 : 0) | PartitionIndex);
        var offset = 1;
        if (HasExtensions)
        {
            destination[offset++] = (byte)((HasPictureId ? 0x80 : 0) | (HasTl0PicIdx ? 0x40 : 0) | (HasTemporalLayerId ? 0x20 : 0) | (HasKeyIndex ? 0x10 : 0));
            if (HasPictureId)
            {
                if (HasLongPictureId)
                {
                    destination[offset++] = (byte)(0x80 | (PictureId >> 8));
                }

                destination[offset++] = (byte)(HasLongPictureId ? PictureId & 0xFF : PictureId);
            }

            if (HasTl0PicIdx)
            {
                destination[offset++] = Tl0PicIdx;
            }

            if (HasTemporalLayerId || HasKeyIndex)
            {
                destination[offset++] = (byte)((TemporalLayerId << 6) | (LayerSync ? 0x20 : 0) | KeyIndex);
            }
        }

        bytesWritten = offset;
        return true;
    }

    /// <summary>
    /// A key frame starts in this payload: S = 1, PID = 0, and the P bit of the VP8 payload header is 0
    /// (RFC 7741 §4.3).
    /// </summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> payload) =>
        TryRead(payload, out var descriptor, out var size)
        && descriptor.StartOfPartition
        && descriptor.PartitionIndex == 0
        && payload.Length > size
        && (payload[size] & 0x01) == 0;

    /// <summary>
    /// Rewrites the picture id in place, keeping its width: a 7-bit id takes <paramref name="pictureId"/> mod 128,
    /// a 15-bit id mod 32768. False when the payload has no picture id (or no valid descriptor).
    /// </summary>
    public static bool TrySetPictureId(Span<byte> payload, ushort pictureId)
    {
        if (!TryRead(payload, out var descriptor, out _) || !descriptor.HasPictureId)
        {
            return false;
        }

        if (descriptor.HasLongPictureId)
        {
            payload[2] = (byte)(0x80 | ((pictureId >> 8) & 0x7F));
            payload[3] = (byte)pictureId;
        }
        else
        {
            payload[2] = (byte)(pictureId & 0x7F);
        }

        return true;
    }

    /// <summary>Rewrites TL0PICIDX in place; false when the payload does not carry one.</summary>
    public static bool TrySetTl0PicIdx(Span<byte> payload, byte tl0PicIdx)
    {
        if (!TryRead(payload, out var descriptor, out _) || !descriptor.HasTl0PicIdx)
        {
            return false;
        }

        payload[2 + (descriptor.HasPictureId ? (descriptor.HasLongPictureId ? 2 : 1) : 0)] = tl0PicIdx;
        return true;
    }
}
