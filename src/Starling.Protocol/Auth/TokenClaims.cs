using System.Text.Json;
using System.Text.Json.Serialization;

namespace Starling.Protocol.Auth;

/// <summary>
/// Every claim of a LiveKit access token, named as on the wire. Registered claims: <c>iss</c> (API key),
/// <c>sub</c> (identity), <c>nbf</c>, <c>exp</c>, optional <c>iat</c> and <c>jti</c>.
/// </summary>
public sealed record TokenClaims
{
    /// <summary>The API key that signed the token.</summary>
    [JsonPropertyName("iss")] public string? Issuer { get; init; }

    /// <summary>The participant identity.</summary>
    [JsonPropertyName("sub")] public string? Subject { get; init; }

    /// <summary>Not valid before (unix seconds).</summary>
    [JsonPropertyName("nbf")] public long? NotBefore { get; init; }

    /// <summary>Expiry (unix seconds); required.</summary>
    [JsonPropertyName("exp")] public long? Expires { get; init; }

    /// <summary>Issued at (unix seconds); optional.</summary>
    [JsonPropertyName("iat")] public long? IssuedAt { get; init; }

    /// <summary>Token id; LiveKit uses it as the identity when <c>sub</c> is empty.</summary>
    [JsonPropertyName("jti")] public string? JwtId { get; init; }

    /// <summary>Identity as written by the Go SDK; the server prefers <c>sub</c>.</summary>
    [JsonPropertyName("identity")] public string? IdentityClaim { get; init; }

    /// <summary>Display name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Participant metadata.</summary>
    [JsonPropertyName("metadata")] public string? Metadata { get; init; }

    /// <summary>Participant attributes.</summary>
    [JsonPropertyName("attributes")] public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>Participant kind: <c>standard</c>, <c>ingress</c>, <c>egress</c>, <c>sip</c>, <c>agent</c>,
    /// <c>connector</c>, <c>bridge</c>.</summary>
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    /// <summary>Kind details (lowercase KindDetail names).</summary>
    [JsonPropertyName("kindDetails")] public IReadOnlyList<string>? KindDetails { get; init; }

    /// <summary>Base64 SHA-256 of a webhook body.</summary>
    [JsonPropertyName("sha256")] public string? Sha256 { get; init; }

    /// <summary>Room preset name (LiveKit Cloud).</summary>
    [JsonPropertyName("roomPreset")] public string? RoomPreset { get; init; }

    /// <summary>Protobuf-JSON of a <c>livekit.RoomConfiguration</c>, applied when this join creates the room.</summary>
    [JsonPropertyName("roomConfig")] public JsonElement? RoomConfig { get; init; }

    /// <summary>The video (room) grant.</summary>
    [JsonPropertyName("video")] public VideoGrant? Video { get; init; }

    /// <summary>The SIP grant.</summary>
    [JsonPropertyName("sip")] public SipGrant? Sip { get; init; }

    /// <summary>The identity: <c>sub</c>, falling back to <c>jti</c> as LiveKit does.</summary>
    [JsonIgnore]
    public string Identity => !string.IsNullOrEmpty(Subject) ? Subject : JwtId ?? string.Empty;
}
