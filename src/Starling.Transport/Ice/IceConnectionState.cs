namespace Starling.Transport.Ice;

/// <summary>
/// The agent's view of connectivity, named like <c>RTCIceConnectionState</c>.
/// New → Checking (a valid check, nothing nominated yet) → Connected (a nominated pair is selected) →
/// Disconnected (no valid check on the selected pair for <see cref="IceOptions.DisconnectedTimeout"/>) →
/// Failed (a further <see cref="IceOptions.FailedTimeout"/>; sending stops, RFC 7675 §5.1).
/// A valid check on a nominated pair brings Disconnected or Failed back to Connected. Closed is final.
/// </summary>
internal enum IceConnectionState
{
    New,
    Checking,
    Connected,
    Disconnected,
    Failed,
    Closed,
}
