using Starling.Proto;
using Starling.Rooms.Media;

namespace Starling.Rooms;

/// <summary>
/// The room's way to reach one connected participant: its signal connection and its data channels.
/// Implemented by the signalling layer. Calls must not block (enqueue and return) and must not throw.
/// </summary>
internal interface IParticipantSink
{
    /// <summary>Queues a signal message to the participant.</summary>
    void SendSignal(SignalResponse message);

    /// <summary>
    /// Queues a data packet on the participant's reliable or lossy channel. <paramref name="serialized"/> is
    /// <paramref name="packet"/> already encoded (once per fan-out, not once per receiver); it must not be modified.
    /// </summary>
    void SendData(DataPacket packet, byte[] serialized, bool reliable);

    /// <summary>A track was published in the room: subscribe if this participant wants it (auto-subscribe).</summary>
    void OnTrackPublished(PublishedTrack track);

    /// <summary>A track this participant may be subscribed to was unpublished (or its publisher left): drop it.</summary>
    void OnTrackUnpublished(PublishedTrack track);

    /// <summary>
    /// The publisher of <paramref name="tracks"/> changed who may subscribe to them: subscribe where now allowed and
    /// wanted, drop subscriptions no longer allowed, and tell the client (<c>SubscriptionPermissionUpdate</c>).
    /// </summary>
    void OnSubscriptionPermissionChanged(IReadOnlyList<PublishedTrack> tracks);

    /// <summary>Subscribes to or unsubscribes from tracks (client UpdateSubscription or RoomService.UpdateSubscriptions).</summary>
    void SetSubscribed(IReadOnlyList<PublishedTrack> tracks, bool subscribe);

    /// <summary>Sends <c>leave</c> with the reason and closes the participant's connections.</summary>
    void Disconnect(DisconnectReason reason, LeaveRequest.Types.Action action);
}
