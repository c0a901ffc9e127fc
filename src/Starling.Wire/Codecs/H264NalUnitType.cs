namespace Starling.Wire.Codecs;

/// <summary>H.264 NAL unit types (ITU-T H.264 Table 7-1) and the RTP packetization types (RFC 6184 §5.2).</summary>
internal static class H264NalUnitType
{
    public const byte NonIdrSlice = 1;
    public const byte IdrSlice = 5;
    public const byte Sei = 6;
    public const byte Sps = 7;
    public const byte Pps = 8;
    public const byte AccessUnitDelimiter = 9;

    /// <summary>Single-time aggregation packet A (RFC 6184 §5.7.1).</summary>
    public const byte StapA = 24;
    public const byte StapB = 25;
    public const byte Mtap16 = 26;
    public const byte Mtap24 = 27;

    /// <summary>Fragmentation unit A (RFC 6184 §5.8).</summary>
    public const byte FuA = 28;
    public const byte FuB = 29;
}
