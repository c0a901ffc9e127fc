namespace Starling.Wire.Codecs;

/// <summary>
/// The table-of-contents byte that starts every Opus packet (RFC 6716 §3.1); in RTP the payload is one Opus packet
/// (RFC 7587 §4.2).
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// | config  |s| c |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// config: mode, bandwidth and frame duration (Table 2); s: stereo; c: frame count code (0: one frame, 1: two
/// equal frames, 2: two frames of different sizes, 3: an arbitrary number, given in the next byte, §3.2.5).
/// </summary>
internal readonly record struct OpusToc(byte Configuration, bool Stereo, byte FrameCountCode)
{
    public const int Size = 1;

    /// <summary>Packets this short carry no audio worth forwarding: DTX (a bare TOC) or comfort-noise sized.</summary>
    public const int MaxSilencePayloadSize = 3;

    public OpusMode Mode => Configuration switch
    {
        < 12 => OpusMode.Silk,
        < 16 => OpusMode.Hybrid,
        _ => OpusMode.Celt,
    };

    public OpusBandwidth Bandwidth => Configuration switch
    {
        < 4 => OpusBandwidth.Narrowband,
        < 8 => OpusBandwidth.Mediumband,
        < 12 => OpusBandwidth.Wideband,
        < 14 => OpusBandwidth.SuperWideband,
        < 16 => OpusBandwidth.Fullband,
        < 20 => OpusBandwidth.Narrowband,
        < 24 => OpusBandwidth.Wideband,
        < 28 => OpusBandwidth.SuperWideband,
        _ => OpusBandwidth.Fullband,
    };

    /// <summary>Duration of each frame: SILK 10/20/40/60 ms, Hybrid 10/20 ms, CELT 2.5/5/10/20 ms.</summary>
    public int FrameDurationMicroseconds => Configuration switch
    {
        < 12 => (Configuration % 4) switch { 0 => 10_000, 1 => 20_000, 2 => 40_000, _ => 60_000 },
        < 16 => Configuration % 2 == 0 ? 10_000 : 20_000,
        _ => (Configuration % 4) switch { 0 => 2_500, 1 => 5_000, 2 => 10_000, _ => 20_000 },
    };

    public static bool TryRead(ReadOnlySpan<byte> source, out OpusToc toc, out int bytesRead)
    {
        if (source.IsEmpty)
        {
            toc = default;
            bytesRead = 0;
            return false;
        }

        toc = new OpusToc((byte)(source[0] >> 3), (source[0] & 0x04) != 0, (byte)(source[0] & 0x03));
        bytesRead = Size;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.IsEmpty || Configuration > 31 || FrameCountCode > 3)
        {
            return false;
        }

        destination[0] = (byte)((Configuration << 3) | (Stereo ? 0x04 : 0) | FrameCountCode);
        bytesWritten = Size;
        return true;
    }

    /// <summary>
    /// True for a payload of at most <see cref="MaxSilencePayloadSize"/> bytes: a DTX packet (RFC 7587 §3.1.3;
    /// libopus sends a bare TOC byte) or silence, which an SFU may drop or use to mark a speaker inactive.
    /// </summary>
    public static bool IsSilence(ReadOnlySpan<byte> payload) => payload.Length <= MaxSilencePayloadSize;

    /// <summary>Frames in the packet (§3.2): 1, 2, or M from the frame count byte for code 3 (1–48).</summary>
    public static bool TryGetFrameCount(ReadOnlySpan<byte> payload, out int frames)
    {
        frames = 0;
        if (!TryRead(payload, out var toc, out _))
        {
            return false;
        }

        switch (toc.FrameCountCode)
        {
            case 0:
                frames = 1;
                return true;
            case 1:
            case 2:
                frames = 2;
                return true;
            default:
                if (payload.Length < 2 || (payload[1] & 0x3F) == 0)
                {
                    return false;
                }

                frames = payload[1] & 0x3F;
                return true;
        }
    }

    /// <summary>Audio duration of the packet in microseconds (frames × frame duration); false if malformed or over 120 ms (§3.2.5).</summary>
    public static bool TryGetDuration(ReadOnlySpan<byte> payload, out int microseconds)
    {
        microseconds = 0;
        if (!TryGetFrameCount(payload, out var frames) || !TryRead(payload, out var toc, out _))
        {
            return false;
        }

        var total = frames * toc.FrameDurationMicroseconds;
        if (total > 120_000)
        {
            return false;
        }

        microseconds = total;
        return true;
    }
}
