namespace Starling.Wire.Rtp;

/// <summary>How the RTP header extension block is laid out (RFC 3550 §5.3.1, RFC 8285 §4).</summary>
internal enum RtpExtensionForm
{
    /// <summary>X = 0: no extension block.</summary>
    None = 0,

    /// <summary>Profile 0xBEDE: one-byte element headers, ids 1–14, values 1–16 bytes (RFC 8285 §4.2).</summary>
    OneByte,

    /// <summary>Profile 0x100X: two-byte element headers, ids 1–255, values 0–255 bytes (RFC 8285 §4.3).</summary>
    TwoByte,

    /// <summary>Another profile: the block is opaque and has no elements we understand.</summary>
    Other,
}
