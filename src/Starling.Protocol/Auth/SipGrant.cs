using System.Text.Json.Serialization;

namespace Starling.Protocol.Auth;

/// <summary>The <c>sip</c> claim of a LiveKit access token.</summary>
public sealed record SipGrant
{
    /// <summary>May manage SIP trunks and dispatch rules.</summary>
    [JsonPropertyName("admin")] public bool? Admin { get; init; }

    /// <summary>May make outbound SIP calls.</summary>
    [JsonPropertyName("call")] public bool? Call { get; init; }
}
