using Google.Protobuf;
using Starling.Proto;
using Starling.Rooms;

namespace Starling.Rooms.Tests;

internal sealed class RecordingSink : IRoomEventSink, IParticipantSink
{
    public List<WebhookEvent> Events { get; } = [];

    public List<SignalResponse> Signals { get; } = [];

    public List<(DataPacket Packet, bool Reliable)> Data { get; } = [];

    public List<DisconnectReason> Disconnects { get; } = [];

    public void Publish(WebhookEvent webhookEvent) => Events.Add(webhookEvent);

    public void SendSignal(SignalResponse message) => Signals.Add(message);

    public void SendData(DataPacket packet, byte[] serialized, bool reliable)
    {
        Assert.Equal(packet.ToByteArray(), serialized);
        Data.Add((packet, reliable));
    }

    public void Disconnect(DisconnectReason reason, LeaveRequest.Types.Action action) => Disconnects.Add(reason);

    public void OnTrackPublished(Starling.Rooms.Media.PublishedTrack track)
    {
    }

    public List<string> Unpublished { get; } = [];

    public void OnTrackUnpublished(Starling.Rooms.Media.PublishedTrack track) => Unpublished.Add(track.Sid);

    public void SetSubscribed(IReadOnlyList<Starling.Rooms.Media.PublishedTrack> tracks, bool subscribe)
    {
    }

    public List<string> PermissionChanges { get; } = [];

    public void OnSubscriptionPermissionChanged(IReadOnlyList<Starling.Rooms.Media.PublishedTrack> tracks) =>
        PermissionChanges.AddRange(tracks.Select(t => t.Sid));
}
