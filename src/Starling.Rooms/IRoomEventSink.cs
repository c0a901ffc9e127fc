using Starling.Proto;

namespace Starling.Rooms;

/// <summary>
/// Receives room lifecycle events (the webhook stream). Called under no lock, in event order per room;
/// implementations must return quickly (queue and deliver elsewhere) and never throw.
/// </summary>
internal interface IRoomEventSink
{
    void Publish(WebhookEvent webhookEvent);
}
