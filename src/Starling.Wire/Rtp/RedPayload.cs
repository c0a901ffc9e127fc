namespace Starling.Wire.Rtp;

/// <summary>
/// RTP payload for redundant audio (RFC 2198, "RED", as WebRTC uses it for Opus): zero or more redundant blocks, each
/// announced by a 4-byte header (F=1, block payload type, timestamp offset, length), then the primary block announced
/// by a 1-byte header (F=0, payload type); the block data follow the headers in the same order.
/// </summary>
internal static class RedPayload
{
    /// <summary>
    /// Finds the primary (newest) block of a RED payload: its offset and length within <paramref name="payload"/> and
    /// its payload type. False when the headers run past the payload or the lengths do not add up.
    /// </summary>
    public static bool TryGetPrimary(ReadOnlySpan<byte> payload, out int offset, out int length, out byte payloadType)
    {
        offset = 0;
        length = 0;
        payloadType = 0;
        var header = 0;
        var redundant = 0;
        for (;;)
        {
            if (header >= payload.Length)
            {
                return false;
            }

            var first = payload[header];
            if ((first & 0x80) == 0)
            {
                payloadType = (byte)(first & 0x7F);
                header++;
                break;
            }

            if (header + 4 > payload.Length)
            {
                return false;
            }

            redundant += ((payload[header + 2] & 0x03) << 8) | payload[header + 3];
            header += 4;
        }

        offset = header + redundant;
        if (offset > payload.Length)
        {
            return false;
        }

        length = payload.Length - offset;
        return true;
    }
}
