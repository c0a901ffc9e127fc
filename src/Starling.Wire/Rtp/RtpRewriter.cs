using System.Buffers.Binary;

namespace Starling.Wire.Rtp;

/// <summary>
/// In-place edits an SFU makes to a received RTP packet before forwarding it (RFC 3550 §5.1, RFC 8285):
/// sequence number, timestamp, SSRC, payload type and marker, and header extension values and ids (the
/// publisher's and the subscriber's <c>a=extmap</c> ids differ). Allocation-free; the packet keeps its length.
/// Every method returns false (never throws) when the span is not a valid RTP packet or the edit does not fit;
/// the fixed-field setters only need the 12-byte fixed header.
/// </summary>
internal static class RtpRewriter
{
    public static bool SetSequenceNumber(Span<byte> packet, ushort sequenceNumber)
    {
        if (packet.Length < RtpPacket.FixedHeaderSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequenceNumber);
        return true;
    }

    public static bool SetTimestamp(Span<byte> packet, uint timestamp)
    {
        if (packet.Length < RtpPacket.FixedHeaderSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        return true;
    }

    public static bool SetSsrc(Span<byte> packet, uint ssrc)
    {
        if (packet.Length < RtpPacket.FixedHeaderSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
        return true;
    }

    /// <summary>Sets the 7-bit payload type, keeping the marker bit.</summary>
    public static bool SetPayloadType(Span<byte> packet, byte payloadType)
    {
        if (packet.Length < RtpPacket.FixedHeaderSize || payloadType > 127)
        {
            return false;
        }

        packet[1] = (byte)((packet[1] & 0x80) | payloadType);
        return true;
    }

    public static bool SetMarker(Span<byte> packet, bool marker)
    {
        if (packet.Length < RtpPacket.FixedHeaderSize)
        {
            return false;
        }

        packet[1] = (byte)(marker ? packet[1] | 0x80 : packet[1] & 0x7F);
        return true;
    }

    /// <summary>The writable value of the first extension element with <paramref name="id"/> (e.g. to stamp a new
    /// transport-wide sequence number or abs-send-time).</summary>
    public static bool TryGetExtension(Span<byte> packet, byte id, out Span<byte> value)
    {
        if (RtpPacket.TryRead(packet, out var view, out _) && view.TryFindExtension(id, out var offset, out var length))
        {
            value = packet.Slice(offset, length);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Overwrites the value of the first element with <paramref name="id"/>; the new value must have the same length.</summary>
    public static bool TryWriteExtension(Span<byte> packet, byte id, ReadOnlySpan<byte> value)
    {
        if (!TryGetExtension(packet, id, out var destination) || destination.Length != value.Length)
        {
            return false;
        }

        value.CopyTo(destination);
        return true;
    }

    /// <summary>
    /// Changes the local id of every element with <paramref name="oldId"/> to <paramref name="newId"/>
    /// (1–14 in the one-byte form, 1–255 in the two-byte form). False if there is none or the id does not fit.
    /// </summary>
    public static bool TrySetExtensionId(Span<byte> packet, byte oldId, byte newId)
    {
        if (oldId == 0 || !RtpPacket.TryRead(packet, out var view, out _) || !FitsForm(view.ExtensionForm, newId))
        {
            return false;
        }

        var form = view.ExtensionForm;
        var found = false;
        foreach (var extension in view.GetExtensions())
        {
            if (extension.Id == oldId)
            {
                SetId(packet, form, extension.Offset, extension.Value.Length, newId);
                found = true;
            }
        }

        return found;
    }

    /// <summary>
    /// Maps every element's id through <paramref name="map"/> (<c>map[oldId]</c> is the new id). An element whose
    /// id maps to 0 or lies outside the map is removed by overwriting it with padding bytes (0x00), which
    /// receivers skip (RFC 8285 §4.2, §4.3), so the packet keeps its length. Checks every new id against the form
    /// first: on false nothing was changed.
    /// </summary>
    public static bool TryMapExtensionIds(Span<byte> packet, ReadOnlySpan<byte> map)
    {
        if (!RtpPacket.TryRead(packet, out var view, out _))
        {
            return false;
        }

        var form = view.ExtensionForm;
        if (form is not (RtpExtensionForm.OneByte or RtpExtensionForm.TwoByte))
        {
            return form == RtpExtensionForm.None;
        }

        foreach (var extension in view.GetExtensions())
        {
            var newId = extension.Id < map.Length ? map[extension.Id] : (byte)0;
            if (newId != 0 && !FitsForm(form, newId))
            {
                return false;
            }
        }

        // Removing writes zeros at and before the current element; the enumerator has already moved past it.
        foreach (var extension in view.GetExtensions())
        {
            var newId = extension.Id < map.Length ? map[extension.Id] : (byte)0;
            SetId(packet, form, extension.Offset, extension.Value.Length, newId);
        }

        return true;
    }

    /// <summary>
    /// Stamps the element <paramref name="id"/> with <paramref name="value"/> in the packet <c>buffer[..length]</c>:
    /// overwritten in place when the packet already carries it with that length, else inserted at the start of the
    /// extension block (which is created when the packet has none), moving the rest of the packet back; the buffer
    /// must have room for the growth (at most 8 bytes, see <see cref="MaxInsertGrowth"/>). Updates
    /// <paramref name="length"/>. False, with nothing changed, when the packet is not valid RTP, the id does not fit
    /// the packet's extension form, the value is 1–16 bytes only for the one-byte form, or there is no room.
    /// </summary>
    public static bool TrySetOrInsertExtension(Span<byte> buffer, ref int length, byte id, ReadOnlySpan<byte> value)
    {
        if (id == 0 || value.IsEmpty || (uint)length > (uint)buffer.Length || !RtpPacket.TryRead(buffer[..length], out var view, out _))
        {
            return false;
        }

        if (view.TryFindExtension(id, out var offset, out var existing) && existing == value.Length)
        {
            value.CopyTo(buffer[offset..]);
            return true;
        }

        var form = view.ExtensionForm;
        if (form == RtpExtensionForm.Other || (form != RtpExtensionForm.TwoByte && (id > 14 || value.Length > 16)) || value.Length > 255)
        {
            return false;
        }

        // one element (header + value), padded to whole 32-bit words
        var elementHeader = form == RtpExtensionForm.TwoByte ? 2 : 1;
        var element = (elementHeader + value.Length + 3) & ~3;
        var growth = form == RtpExtensionForm.None ? element + 4 : element;
        if (length + growth > buffer.Length)
        {
            return false;
        }

        var insertAt = form == RtpExtensionForm.None ? RtpPacket.FixedHeaderSize + (view.CsrcCount * 4) : view.ExtensionOffset;
        buffer[insertAt..length].CopyTo(buffer[(insertAt + growth)..]);
        var at = insertAt;
        if (form == RtpExtensionForm.None)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer[at..], RtpPacket.OneByteProfile);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(at + 2)..], (ushort)(element / 4));
            buffer[0] |= 0x10;
            at += 4;
        }
        else
        {
            var words = BinaryPrimitives.ReadUInt16BigEndian(buffer[(insertAt - 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(insertAt - 2)..], (ushort)(words + (element / 4)));
        }

        if (form == RtpExtensionForm.TwoByte)
        {
            buffer[at] = id;
            buffer[at + 1] = (byte)value.Length;
        }
        else
        {
            buffer[at] = (byte)((id << 4) | (value.Length - 1));
        }

        value.CopyTo(buffer[(at + elementHeader)..]);
        buffer.Slice(at + elementHeader + value.Length, element - elementHeader - value.Length).Clear();
        length += growth;
        return true;
    }

    /// <summary>The most <see cref="TrySetOrInsertExtension"/> grows a packet by for a value of up to 3 bytes.</summary>
    public const int MaxInsertGrowth = 8;

    private static bool FitsForm(RtpExtensionForm form, byte id) => form switch
    {
        RtpExtensionForm.OneByte => id is >= 1 and <= 14,
        RtpExtensionForm.TwoByte => id >= 1,
        _ => false,
    };

    private static void SetId(Span<byte> packet, RtpExtensionForm form, int valueOffset, int length, byte newId)
    {
        var headerSize = form == RtpExtensionForm.OneByte ? 1 : 2;
        var headerOffset = valueOffset - headerSize;
        if (newId == 0)
        {
            packet.Slice(headerOffset, headerSize + length).Clear();
        }
        else if (form == RtpExtensionForm.OneByte)
        {
            packet[headerOffset] = (byte)((newId << 4) | (packet[headerOffset] & 0x0F));
        }
        else
        {
            packet[headerOffset] = newId;
        }
    }
}
