using Starling.Proto;
using Starling.Protocol.Auth;

namespace Starling.Rooms.Signal;

/// <summary>Everything a join carries, from either signalling path, after the token was verified.</summary>
internal sealed record JoinParameters
{
    public required TokenClaims Claims { get; init; }

    public required string Token { get; init; }

    /// <summary>True for <c>/rtc/v1</c> (single peer connection).</summary>
    public bool SinglePeerConnection { get; init; }

    public ClientInfo ClientInfo { get; init; } = new();

    public bool AutoSubscribe { get; init; } = true;

    public bool AdaptiveStream { get; init; }

    public bool Reconnect { get; init; }

    public string? ParticipantSid { get; init; }

    /// <summary>v1: the client's first publisher offer, answered right after JoinResponse.</summary>
    public SessionDescription? PublisherOffer { get; init; }

    /// <summary>v1 JoinRequest metadata (needs canUpdateOwnMetadata).</summary>
    public string? Metadata { get; init; }

    /// <summary>v1 JoinRequest attributes (needs canUpdateOwnMetadata).</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
