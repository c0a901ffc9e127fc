namespace Starling.Rooms.Media;

/// <summary>
/// Timing of subscriber renegotiation (<see cref="SubscriberNegotiation"/>). The defaults are livekit-server's:
/// a change after a quiet spell goes out after 10 ms, changes within 150 ms of the last negotiation are gathered for
/// 150 ms, and a negotiation the client leaves unanswered for 15 s fails.
/// </summary>
internal sealed record NegotiationOptions
{
    /// <summary>Delay before negotiating a change when the last negotiation is older than <see cref="Debounce"/>.</summary>
    public TimeSpan FastDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Changes this soon after the last negotiation wait this long, so a burst becomes one negotiation.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How long the client has to answer (v0: our offer; v1: offer again after <c>media_sections_requirement</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Timed-out negotiations sent again before giving up (the participant is then told to reconnect).</summary>
    public int Retries { get; init; } = 1;
}
