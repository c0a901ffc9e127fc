using Starling.Proto;
using Starling.Protocol.Ids;

namespace Starling.Rooms;

/// <summary>Builds webhook events as LiveKit fills them (id <c>EV_…</c>, created_at in unix seconds).</summary>
internal static class WebhookEvents
{
    public const string RoomStarted = "room_started";
    public const string RoomFinished = "room_finished";
    public const string ParticipantJoined = "participant_joined";
    public const string ParticipantLeft = "participant_left";
    public const string ParticipantConnectionAborted = "participant_connection_aborted";
    public const string TrackPublished = "track_published";
    public const string TrackUnpublished = "track_unpublished";

    public static WebhookEvent Create(string name, DateTimeOffset now, Proto.Room? room = null, ParticipantInfo? participant = null, TrackInfo? track = null)
    {
        var evt = new WebhookEvent
        {
            Event = name,
            Id = SidGenerator.New(SidGenerator.WebhookEvent),
            CreatedAt = now.ToUnixTimeSeconds(),
            Room = room,
            Participant = participant,
            Track = track,
        };
        return evt;
    }

    /// <summary>Track events carry only the participant's sid and identity.</summary>
    public static ParticipantInfo Slim(Participant participant) => new() { Sid = participant.Sid, Identity = participant.Identity };
}
