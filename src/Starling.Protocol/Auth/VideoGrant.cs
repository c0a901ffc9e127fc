using System.Text.Json.Serialization;

namespace Starling.Protocol.Auth;

/// <summary>
/// The <c>video</c> claim of a LiveKit access token. Absent values keep LiveKit's defaults:
/// <c>canPublish</c> and <c>canSubscribe</c> default to true, <c>canPublishData</c> to <c>canPublish</c>,
/// every other flag to false, and an absent <c>canPublishSources</c> allows every source.
/// </summary>
public sealed record VideoGrant
{
    /// <summary>May call CreateRoom and DeleteRoom.</summary>
    [JsonPropertyName("roomCreate")] public bool? RoomCreate { get; init; }

    /// <summary>May call ListRooms.</summary>
    [JsonPropertyName("roomList")] public bool? RoomList { get; init; }

    /// <summary>May use the egress APIs.</summary>
    [JsonPropertyName("roomRecord")] public bool? RoomRecord { get; init; }

    /// <summary>May administer <see cref="Room"/> (participants, metadata, data, dispatches).</summary>
    [JsonPropertyName("roomAdmin")] public bool? RoomAdmin { get; init; }

    /// <summary>May join <see cref="Room"/>; required for the signal connection.</summary>
    [JsonPropertyName("roomJoin")] public bool? RoomJoin { get; init; }

    /// <summary>The room the token joins or administers.</summary>
    [JsonPropertyName("room")] public string? Room { get; init; }

    /// <summary>May publish tracks (default true).</summary>
    [JsonPropertyName("canPublish")] public bool? CanPublish { get; init; }

    /// <summary>May subscribe to tracks (default true).</summary>
    [JsonPropertyName("canSubscribe")] public bool? CanSubscribe { get; init; }

    /// <summary>May send data packets (defaults to <see cref="CanPublish"/>).</summary>
    [JsonPropertyName("canPublishData")] public bool? CanPublishData { get; init; }

    /// <summary>Sources the participant may publish (<c>camera</c>, <c>microphone</c>, <c>screen_share</c>,
    /// <c>screen_share_audio</c>); null allows all.</summary>
    [JsonPropertyName("canPublishSources")] public IReadOnlyList<string>? CanPublishSources { get; init; }

    /// <summary>May change its own name, metadata and attributes.</summary>
    [JsonPropertyName("canUpdateOwnMetadata")] public bool? CanUpdateOwnMetadata { get; init; }

    /// <summary>May use the ingress APIs.</summary>
    [JsonPropertyName("ingressAdmin")] public bool? IngressAdmin { get; init; }

    /// <summary>Invisible to other participants.</summary>
    [JsonPropertyName("hidden")] public bool? Hidden { get; init; }

    /// <summary>Marks a recorder (sets the room's active_recording).</summary>
    [JsonPropertyName("recorder")] public bool? Recorder { get; init; }

    /// <summary>Marks an agent; required for the agent worker socket.</summary>
    [JsonPropertyName("agent")] public bool? Agent { get; init; }

    /// <summary>May subscribe to other participants' metrics.</summary>
    [JsonPropertyName("canSubscribeMetrics")] public bool? CanSubscribeMetrics { get; init; }

    /// <summary>May manage agent sessions.</summary>
    [JsonPropertyName("canManageAgentSession")] public bool? CanManageAgentSession { get; init; }

    /// <summary>Destination room for ForwardParticipant and MoveParticipant.</summary>
    [JsonPropertyName("destinationRoom")] public string? DestinationRoom { get; init; }

    /// <summary>canPublish with its default applied.</summary>
    [JsonIgnore] public bool EffectiveCanPublish => CanPublish ?? true;

    /// <summary>canSubscribe with its default applied.</summary>
    [JsonIgnore] public bool EffectiveCanSubscribe => CanSubscribe ?? true;

    /// <summary>canPublishData with its default (canPublish) applied.</summary>
    [JsonIgnore] public bool EffectiveCanPublishData => CanPublishData ?? EffectiveCanPublish;
}
