using Starling.Proto;

namespace Starling.Rooms;

/// <summary>
/// One participant of a room. All state is owned by its <see cref="Room"/> and changed only under the
/// room's lock; <see cref="ToInfo"/> snapshots it for the wire.
/// </summary>
internal sealed class Participant
{
    private readonly List<TrackInfo> _tracks = [];

    public Participant(string sid, string identity, IParticipantSink? sink)
    {
        Sid = sid;
        Identity = identity;
        Sink = sink;
    }

    public string Sid { get; }

    public string Identity { get; }

    public string Name { get; set; } = string.Empty;

    public string Metadata { get; set; } = string.Empty;

    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    public ParticipantPermission Permission { get; set; } = new() { CanSubscribe = true, CanPublish = true, CanPublishData = true };

    public ParticipantInfo.Types.State State { get; set; } = ParticipantInfo.Types.State.Joining;

    public ParticipantInfo.Types.Kind Kind { get; set; } = ParticipantInfo.Types.Kind.Standard;

    public long JoinedAtMs { get; set; }

    public uint Version { get; private set; }

    public int ClientProtocol { get; set; }

    public bool IsAgent => Kind == ParticipantInfo.Types.Kind.Agent;

    /// <summary>Agents and egress: they do not keep a room open or count against max_participants (livekit-server).</summary>
    public bool IsDependent => Kind is ParticipantInfo.Types.Kind.Agent or ParticipantInfo.Types.Kind.Egress;

    /// <summary>Whether it ever published a track in this session (JT_PUBLISHER jobs launch on the first).</summary>
    public bool HasPublished { get; set; }

    public bool Hidden => Permission.Hidden;

    /// <summary>Whether the participant ever reached <c>ACTIVE</c> (decides participant_left vs connection_aborted).</summary>
    public bool WasActive { get; set; }

    public IParticipantSink? Sink { get; set; }

    /// <summary>Track sids the API or the client asked to (un)subscribe, kept until the media layer applies them.</summary>
    public Dictionary<string, bool> SubscriptionIntents { get; } = new(StringComparer.Ordinal);

    /// <summary>Who may subscribe to this participant's tracks (its <c>SubscriptionPermission</c>); null = everyone.</summary>
    public SubscriptionPermission? SubscriptionPermission { get; set; }

    /// <summary>The latest connection quality measured by its session (EXCELLENT until measured).</summary>
    public ConnectionQuality Quality { get; set; } = ConnectionQuality.Excellent;

    /// <summary>The score behind <see cref="Quality"/> (MOS-like, 1 to 4.5).</summary>
    public float QualityScore { get; set; } = 4.5f;

    public IReadOnlyList<TrackInfo> Tracks => _tracks;

    public void AddTrack(TrackInfo track) => _tracks.Add(track);

    public bool RemoveTrack(string trackSid) => _tracks.RemoveAll(t => t.Sid == trackSid) > 0;

    public TrackInfo? FindTrack(string trackSid) => _tracks.Find(t => t.Sid == trackSid);

    /// <summary>Marks a change: participants carry a monotonically increasing version.</summary>
    public void Touch() => Version++;

    public ParticipantInfo ToInfo()
    {
        var info = new ParticipantInfo
        {
            Sid = Sid,
            Identity = Identity,
            Name = Name,
            Metadata = Metadata,
            State = State,
            JoinedAt = JoinedAtMs / 1000,
            JoinedAtMs = JoinedAtMs,
            Version = Version,
            Permission = Permission.Clone(),
            Kind = Kind,
            IsPublisher = _tracks.Count > 0,
            ClientProtocol = ClientProtocol,
        };
        info.Attributes.Add(Attributes);
        foreach (var track in _tracks)
        {
            info.Tracks.Add(track.Clone());
        }

        return info;
    }
}
