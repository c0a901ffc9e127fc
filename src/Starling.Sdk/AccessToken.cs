using System.Text.Json;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Sdk.Internal;

namespace Starling.Sdk;

/// <summary>
/// Builds a LiveKit access token (HS256 JWT), like livekit-server-sdk's <c>AccessToken</c>: set the identity, grants
/// and other claims, then call <see cref="ToJwt"/>. <c>nbf</c> is the issue time (or <see cref="NotBefore"/>) and
/// <c>exp</c> is the issue time plus <see cref="Ttl"/>.
/// </summary>
/// <example>
/// <code>
/// var jwt = new AccessToken("key", "secret") { Identity = "alice" }
///     .AddGrant(new VideoGrant { RoomJoin = true, Room = "my-room" })
///     .ToJwt();
/// </code>
/// </example>
public sealed class AccessToken
{
    /// <summary>The default lifetime of a token: 6 hours, as in the LiveKit SDKs.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(6);

    private readonly string _apiKey;
    private readonly string _apiSecret;
    private readonly TimeProvider _time;
    private TimeSpan _ttl = DefaultTtl;

    /// <summary>
    /// Creates a builder signing with <paramref name="apiKey"/> and <paramref name="apiSecret"/>; either defaults to
    /// the <c>LIVEKIT_API_KEY</c> / <c>LIVEKIT_API_SECRET</c> environment variable when null or empty.
    /// </summary>
    /// <exception cref="ArgumentException">No key or secret was given and the environment has none.</exception>
    public AccessToken(string? apiKey = null, string? apiSecret = null)
        : this(apiKey, apiSecret, TimeProvider.System)
    {
    }

    /// <summary>Creates a builder that reads the issue time from <paramref name="timeProvider"/>.</summary>
    /// <exception cref="ArgumentException">No key or secret was given and the environment has none.</exception>
    public AccessToken(string? apiKey, string? apiSecret, TimeProvider timeProvider)
        : this(apiKey, apiSecret, timeProvider, null)
    {
    }

    internal AccessToken(string? apiKey, string? apiSecret, TimeProvider timeProvider, Func<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        (_apiKey, _apiSecret) = SdkEnvironment.Credentials(apiKey, apiSecret, environment);
        _time = timeProvider;
    }

    /// <summary>The API key that signs the token (the <c>iss</c> claim).</summary>
    public string ApiKey => _apiKey;

    /// <summary>The participant identity (<c>sub</c>); required when the video grant has <c>roomJoin</c>.</summary>
    public string? Identity { get; set; }

    /// <summary>The participant's display name (<c>name</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The participant's metadata (<c>metadata</c>).</summary>
    public string? Metadata { get; set; }

    /// <summary>The participant's attributes (<c>attributes</c>); written only when not empty.</summary>
    public IDictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The participant kind, written as its lowercase name (<c>kind</c>: <c>standard</c>, <c>agent</c>, ...).</summary>
    public ParticipantInfo.Types.Kind? Kind { get; set; }

    /// <summary>How long the token is valid from its issue time; <see cref="DefaultTtl"/> (6 h) by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan Ttl
    {
        get => _ttl;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _ttl = value;
        }
    }

    /// <summary>The <c>nbf</c> claim; the issue time when null.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>The video (room) grant (<c>video</c>); see <see cref="AddGrant"/> to merge grants.</summary>
    public VideoGrant? VideoGrant { get; set; }

    /// <summary>The SIP grant (<c>sip</c>).</summary>
    public SipGrant? SipGrant { get; set; }

    /// <summary>Room settings applied when this token's join creates the room (<c>roomConfig</c>), written as
    /// protobuf-JSON (camelCase names, enum names).</summary>
    public RoomConfiguration? RoomConfig { get; set; }

    /// <summary>The room preset name (<c>roomPreset</c>; LiveKit Cloud).</summary>
    public string? RoomPreset { get; set; }

    /// <summary>The base64 SHA-256 of a webhook body (<c>sha256</c>).</summary>
    public string? Sha256 { get; set; }

    /// <summary>Sets <see cref="Identity"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithIdentity(string identity)
    {
        Identity = identity;
        return this;
    }

    /// <summary>Sets <see cref="Name"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithName(string name)
    {
        Name = name;
        return this;
    }

    /// <summary>Sets <see cref="Metadata"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithMetadata(string metadata)
    {
        Metadata = metadata;
        return this;
    }

    /// <summary>Adds or replaces one attribute.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithAttribute(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Attributes[key] = value ?? string.Empty;
        return this;
    }

    /// <summary>Adds or replaces several attributes.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithAttributes(IEnumerable<KeyValuePair<string, string>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (key, value) in attributes)
        {
            WithAttribute(key, value);
        }

        return this;
    }

    /// <summary>Sets <see cref="Kind"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithKind(ParticipantInfo.Types.Kind kind)
    {
        Kind = kind;
        return this;
    }

    /// <summary>Sets <see cref="Ttl"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithTtl(TimeSpan ttl)
    {
        Ttl = ttl;
        return this;
    }

    /// <summary>Sets <see cref="NotBefore"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithNotBefore(DateTimeOffset notBefore)
    {
        NotBefore = notBefore;
        return this;
    }

    /// <summary>Merges <paramref name="grant"/> into <see cref="VideoGrant"/>: its non-null values win (like node's
    /// <c>addGrant</c>).</summary>
    /// <returns>This builder.</returns>
    public AccessToken AddGrant(VideoGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        VideoGrant = VideoGrant is null ? grant : Merge(VideoGrant, grant);
        return this;
    }

    /// <summary>Merges <paramref name="grant"/> into <see cref="SipGrant"/>: its non-null values win.</summary>
    /// <returns>This builder.</returns>
    public AccessToken AddSipGrant(SipGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        SipGrant = SipGrant is null ? grant : SipGrant with { Admin = grant.Admin ?? SipGrant.Admin, Call = grant.Call ?? SipGrant.Call };
        return this;
    }

    /// <summary>Sets <see cref="RoomConfig"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithRoomConfig(RoomConfiguration roomConfig)
    {
        RoomConfig = roomConfig;
        return this;
    }

    /// <summary>Sets <see cref="RoomPreset"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithRoomPreset(string roomPreset)
    {
        RoomPreset = roomPreset;
        return this;
    }

    /// <summary>Sets <see cref="Sha256"/>.</summary>
    /// <returns>This builder.</returns>
    public AccessToken WithSha256(string sha256)
    {
        Sha256 = sha256;
        return this;
    }

    /// <summary>The claims <see cref="ToJwt"/> signs, issued now.</summary>
    /// <exception cref="InvalidOperationException">The video grant has <c>roomJoin</c> but there is no identity.</exception>
    public TokenClaims ToClaims()
    {
        if (string.IsNullOrEmpty(Identity) && VideoGrant?.RoomJoin == true)
        {
            throw new InvalidOperationException("identity is required for join but not set");
        }

        var now = _time.GetUtcNow();
        return new TokenClaims
        {
            Issuer = _apiKey,
            Subject = string.IsNullOrEmpty(Identity) ? null : Identity,
            NotBefore = (NotBefore ?? now).ToUnixTimeSeconds(),
            Expires = (now + Ttl).ToUnixTimeSeconds(),
            Name = string.IsNullOrEmpty(Name) ? null : Name,
            Metadata = string.IsNullOrEmpty(Metadata) ? null : Metadata,
            Attributes = Attributes.Count == 0 ? null : new Dictionary<string, string>(Attributes, StringComparer.Ordinal),
            Kind = Kind is { } kind ? KindName(kind) : null,
            Sha256 = string.IsNullOrEmpty(Sha256) ? null : Sha256,
            RoomPreset = string.IsNullOrEmpty(RoomPreset) ? null : RoomPreset,
            RoomConfig = RoomConfig is null ? null : RoomConfigElement(RoomConfig),
            Video = VideoGrant,
            Sip = SipGrant,
        };
    }

    /// <summary>Signs the token.</summary>
    /// <returns>The compact JWT.</returns>
    /// <exception cref="InvalidOperationException">The video grant has <c>roomJoin</c> but there is no identity.</exception>
    public string ToJwt() => AccessTokenCodec.Encode(ToClaims(), _apiSecret);

    /// <summary>The lowercase claim name of a participant kind (<c>STANDARD</c> → <c>standard</c>).</summary>
    internal static string KindName(ParticipantInfo.Types.Kind kind)
    {
        var descriptor = ParticipantInfo.Descriptor.EnumTypes.First(e => e.Name == "Kind");
        var value = descriptor.FindValueByNumber((int)kind)
            ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown participant kind");
        return value.Name.ToLowerInvariant();
    }

    internal static JsonElement RoomConfigElement(RoomConfiguration config)
    {
        using var document = JsonDocument.Parse(ProtoJson.WithDefaults.Format(config));
        return document.RootElement.Clone();
    }

    private static VideoGrant Merge(VideoGrant current, VideoGrant added) => current with
    {
        RoomCreate = added.RoomCreate ?? current.RoomCreate,
        RoomList = added.RoomList ?? current.RoomList,
        RoomRecord = added.RoomRecord ?? current.RoomRecord,
        RoomAdmin = added.RoomAdmin ?? current.RoomAdmin,
        RoomJoin = added.RoomJoin ?? current.RoomJoin,
        Room = added.Room ?? current.Room,
        CanPublish = added.CanPublish ?? current.CanPublish,
        CanSubscribe = added.CanSubscribe ?? current.CanSubscribe,
        CanPublishData = added.CanPublishData ?? current.CanPublishData,
        CanPublishSources = added.CanPublishSources ?? current.CanPublishSources,
        CanUpdateOwnMetadata = added.CanUpdateOwnMetadata ?? current.CanUpdateOwnMetadata,
        IngressAdmin = added.IngressAdmin ?? current.IngressAdmin,
        Hidden = added.Hidden ?? current.Hidden,
        Recorder = added.Recorder ?? current.Recorder,
        Agent = added.Agent ?? current.Agent,
        CanSubscribeMetrics = added.CanSubscribeMetrics ?? current.CanSubscribeMetrics,
        CanManageAgentSession = added.CanManageAgentSession ?? current.CanManageAgentSession,
        DestinationRoom = added.DestinationRoom ?? current.DestinationRoom,
    };
}
