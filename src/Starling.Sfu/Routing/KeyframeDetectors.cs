using Starling.Wire.Codecs;

namespace Starling.Sfu.Routing;

/// <summary>Cached <see cref="KeyframeDetector"/>s for the video codecs LiveKit clients publish, over the Wire codec helpers.</summary>
internal static class KeyframeDetectors
{
    public static readonly KeyframeDetector Vp8 = Vp8PayloadDescriptor.IsKeyFrame;
    public static readonly KeyframeDetector Vp9 = Vp9PayloadDescriptor.IsKeyFrame;
    public static readonly KeyframeDetector H264 = H264Payload.IsKeyFrame;
    public static readonly KeyframeDetector Av1 = Av1AggregationHeader.IsKeyFrame;

    /// <summary>
    /// The detector for a codec mime type (<c>video/VP8</c>, <c>vp8</c>, ... case-insensitive, with or without the
    /// <c>video/</c> prefix); <c>null</c> for audio and unknown codecs (no packet counts as a keyframe).
    /// </summary>
    public static KeyframeDetector? ForMimeType(string? mimeType)
    {
        var name = mimeType ?? string.Empty;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        return name.ToUpperInvariant() switch
        {
            "VP8" => Vp8,
            "VP9" => Vp9,
            "H264" => H264,
            "AV1" => Av1,
            _ => null,
        };
    }
}
