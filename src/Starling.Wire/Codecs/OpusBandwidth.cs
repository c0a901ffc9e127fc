namespace Starling.Wire.Codecs;

/// <summary>Opus audio bandwidth selected by the TOC configuration (RFC 6716 §2, §3.1).</summary>
internal enum OpusBandwidth
{
    /// <summary>4 kHz, 8 kHz sample rate.</summary>
    Narrowband = 0,

    /// <summary>6 kHz, 12 kHz sample rate.</summary>
    Mediumband,

    /// <summary>8 kHz, 16 kHz sample rate.</summary>
    Wideband,

    /// <summary>12 kHz, 24 kHz sample rate.</summary>
    SuperWideband,

    /// <summary>20 kHz, 48 kHz sample rate.</summary>
    Fullband,
}
