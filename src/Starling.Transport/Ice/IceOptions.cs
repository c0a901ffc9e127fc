namespace Starling.Transport.Ice;

/// <summary>Timing and limits of an ICE-lite agent. Defaults follow LiveKit's Go server (pion).</summary>
internal sealed class IceOptions
{
    /// <summary>
    /// No valid check on the selected pair for this long → Disconnected (consent freshness, RFC 7675).
    /// Default 10 s (LiveKit <c>iceDisconnectedTimeout</c>).
    /// </summary>
    public TimeSpan DisconnectedTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Further time in Disconnected before Failed, when sending stops. Default 5 s (LiveKit <c>iceFailedTimeout</c>);
    /// 15 s in total stays well inside RFC 7675's 30 s consent limit.
    /// </summary>
    public TimeSpan FailedTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A newly nominated pair of lower priority than the selected one takes over only once the selected pair has
    /// received nothing (neither checks nor media) for this long: the client roamed. Default 3 s, just above
    /// libwebrtc's 2.5 s check interval on a stable selected pair.
    /// </summary>
    public TimeSpan RoamingTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Valid pairs kept per agent; beyond it the least recently active unselected pair is dropped. Default 8, at least 2.</summary>
    public int MaxPairs { get; init; } = 8;

    internal void Validate()
    {
        if (DisconnectedTimeout <= TimeSpan.Zero || FailedTimeout <= TimeSpan.Zero || RoamingTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DisconnectedTimeout), "ICE timeouts must be positive.");
        }

        if (MaxPairs < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPairs), "MaxPairs must be at least 2.");
        }
    }
}
