using Starling.Wire.Diagnostics;

namespace Starling.Rooms.Signal;

/// <summary>Process-wide counters of the signalling layer, exported at <c>/metrics</c> next to <see cref="MediaCounters"/>.</summary>
internal static class SignalCounters
{
    public static readonly StripedCounter Negotiations = new("starling_negotiations_total", "Subscriber renegotiations sent (v0 subscriber offers, v1 media_sections_requirement), retries included.");
    public static readonly StripedCounter NegotiationTimeouts = new("starling_negotiation_timeouts_total", "Renegotiations the client did not complete within the negotiation timeout.");
    public static readonly StripedCounter NegotiationFailures = new("starling_negotiation_failures_total", "Participants asked to reconnect because they left a renegotiation and its retries unanswered.");

    /// <summary>Every counter, for export.</summary>
    public static IReadOnlyList<StripedCounter> All { get; } = [Negotiations, NegotiationTimeouts, NegotiationFailures];
}
