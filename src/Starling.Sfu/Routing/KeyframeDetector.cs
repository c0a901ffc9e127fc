namespace Starling.Sfu.Routing;

/// <summary>
/// Tells whether an RTP payload starts a keyframe (codec-specific: VP8 payload descriptor + P bit, H.264 IDR/SPS NAL
/// units, ...). Must not allocate; use a cached delegate (a static method group stored once).
/// </summary>
internal delegate bool KeyframeDetector(ReadOnlySpan<byte> payload);
