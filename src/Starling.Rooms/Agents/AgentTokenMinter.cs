using Starling.Proto;
using Starling.Protocol.Auth;

namespace Starling.Rooms.Agents;

/// <summary>
/// Builds the participant token of a job assignment as livekit-server does: identity, name, metadata and attributes
/// from the worker's availability answer (plus <c>lk.agent_name</c>), kind <c>agent</c>, a room-join grant for the job's
/// room with the worker's allowed permissions, signed with the API key the worker authenticated with.
/// </summary>
internal static class AgentTokenMinter
{
    /// <summary>The attribute naming the agent (livekit-server's AgentNameAttributeKey).</summary>
    public const string AgentNameAttribute = "lk.agent_name";

    public static string Mint(AgentWorker worker, string room, AvailabilityResponse answer, string identity, DateTimeOffset now, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(answer);
        var attributes = new Dictionary<string, string>(answer.ParticipantAttributes, StringComparer.Ordinal)
        {
            [AgentNameAttribute] = worker.AgentName,
        };
        var permissions = worker.Permissions;
        var claims = new TokenClaims
        {
            Issuer = worker.ApiKey,
            Subject = identity,
            NotBefore = now.ToUnixTimeSeconds(),
            Expires = (now + ttl).ToUnixTimeSeconds(),
            Name = answer.ParticipantName,
            Metadata = answer.ParticipantMetadata,
            Attributes = attributes,
            Kind = "agent",
            Video = new VideoGrant
            {
                RoomJoin = true,
                Agent = true,
                Room = room,
                CanSubscribe = permissions.CanSubscribe,
                CanPublish = permissions.CanPublish,
                CanPublishData = permissions.CanPublishData,
                CanUpdateOwnMetadata = permissions.CanUpdateMetadata,
                CanSubscribeMetrics = permissions.CanSubscribeMetrics,
                Hidden = permissions.Hidden,
                CanPublishSources = permissions.CanPublishSources.Count == 0 ? null : permissions.CanPublishSources.Select(SourceName).ToList(),
            },
        };
        return AccessTokenCodec.Encode(claims, worker.ApiSecret);
    }

    private static string SourceName(TrackSource source) => source switch
    {
        TrackSource.Camera => "camera",
        TrackSource.Microphone => "microphone",
        TrackSource.ScreenShare => "screen_share",
        TrackSource.ScreenShareAudio => "screen_share_audio",
        _ => "unknown",
    };
}
