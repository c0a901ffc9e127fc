using Starling.Proto;

namespace Starling.Rooms.Media;

/// <summary>A subscriber's wishes for one track (<c>UpdateTrackSettings</c>): pause, a quality, or the rendered size.</summary>
internal sealed record TrackSettings(bool Disabled, VideoQuality Quality, uint Width, uint Height)
{
    public static TrackSettings From(UpdateTrackSettings request) =>
        new(request.Disabled, request.Quality, request.Width, request.Height);
}

/// <summary>
/// Which simulcast layer a subscriber gets: the layer its settings ask for (quality, or the smallest layer covering
/// the rendered size), lowered to the best layer the publisher is actually sending.
/// </summary>
/// <remarks>
/// Spatial layer indexes follow the simulcast rids: <c>q</c>, <c>h</c>, <c>f</c> are 0, 1, 2. The track's
/// <see cref="TrackInfo.Layers"/> (from <c>AddTrackRequest.layers</c>) give each layer's size; sorted by size, the
/// n-th is spatial layer n.
/// </remarks>
internal static class LayerSelection
{
    /// <summary>Most layers a simulcast track has (<c>q</c>, <c>h</c>, <c>f</c>).</summary>
    public const int MaxLayers = 3;

    /// <summary>The highest spatial layer the subscriber wants (no settings = the best there is).</summary>
    public static int DesiredLayer(TrackInfo info, TrackSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(info);
        var layers = info.Layers.Where(l => l.Quality != VideoQuality.Off).OrderBy(l => (long)l.Width * l.Height).ThenBy(l => l.Quality).ToList();
        // without signalled layers, allow any: Select lowers it to what the publisher sends
        var top = layers.Count == 0 ? MaxLayers - 1 : Math.Min(layers.Count, MaxLayers) - 1;
        if (settings is null)
        {
            return top;
        }

        if (settings.Width > 0 || settings.Height > 0)
        {
            if (layers.Count == 0)
            {
                return top;
            }

            for (var i = 0; i <= top; i++)
            {
                if (Covers(layers[i], settings.Width, settings.Height))
                {
                    return i;
                }
            }

            return top;
        }

        var byQuality = layers.FindIndex(l => l.Quality == settings.Quality);
        if (byQuality >= 0)
        {
            return Math.Min(byQuality, top);
        }

        // no layer of that quality signalled: LOW/MEDIUM/HIGH are indexes 0/1/2
        return Math.Clamp((int)settings.Quality, 0, top);
    }

    /// <summary>
    /// The layer to forward: the highest active layer not above <paramref name="desired"/>, else the lowest active
    /// one above it; <paramref name="desired"/> itself when nothing is active yet (the forwarder waits for it).
    /// </summary>
    public static int Select(int desired, ReadOnlySpan<bool> active)
    {
        for (var layer = Math.Min(desired, active.Length - 1); layer >= 0; layer--)
        {
            if (active[layer])
            {
                return layer;
            }
        }

        for (var layer = desired + 1; layer < active.Length; layer++)
        {
            if (active[layer])
            {
                return layer;
            }
        }

        return desired;
    }

    // a layer covers the rendered size when it is at least as large in both dimensions (either orientation)
    private static bool Covers(VideoLayer layer, uint width, uint height)
    {
        var (longSide, shortSide) = (Math.Max(layer.Width, layer.Height), Math.Min(layer.Width, layer.Height));
        return longSide >= Math.Max(width, height) && shortSide >= Math.Min(width, height);
    }
}
