namespace Starling.Transport.Srtp;

/// <summary>Options for one <see cref="SrtpContext"/>.</summary>
internal sealed class SrtpOptions
{
    /// <summary>Shared default instance; do not mutate.</summary>
    public static readonly SrtpOptions Default = new();

    /// <summary>
    /// Maximum number of SSRCs a context keeps state for (ROC, replay windows, SRTCP index). A receiving
    /// context only creates state for packets that authenticate. Default 1024.
    /// </summary>
    public int MaxStreams { get; init; } = 1024;
}
