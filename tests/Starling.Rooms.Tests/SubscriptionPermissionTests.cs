using Starling.Proto;
using Starling.Rooms;

namespace Starling.Rooms.Tests;

/// <summary>The <c>SubscriptionPermission</c> rule: who may subscribe to a publisher's tracks.</summary>
public sealed class SubscriptionPermissionTests
{
    private static readonly Participant Bob = new("PA_bob", "bob", null);

    public static TheoryData<string, SubscriptionPermission?, string, bool> Cases => new()
    {
        { "unset: everyone", null, "TR_a", true },
        { "all participants", new SubscriptionPermission { AllParticipants = true }, "TR_a", true },
        { "nobody", new SubscriptionPermission(), "TR_a", false },
        { "by identity, all tracks", Permission(new TrackPermission { ParticipantIdentity = "bob", AllTracks = true }), "TR_a", true },
        { "by sid, all tracks", Permission(new TrackPermission { ParticipantSid = "PA_bob", AllTracks = true }), "TR_a", true },
        { "by identity, the listed track", Permission(new TrackPermission { ParticipantIdentity = "bob", TrackSids = { "TR_a" } }), "TR_a", true },
        { "by identity, another track", Permission(new TrackPermission { ParticipantIdentity = "bob", TrackSids = { "TR_b" } }), "TR_a", false },
        { "someone else", Permission(new TrackPermission { ParticipantIdentity = "alice", AllTracks = true }), "TR_a", false },
        { "an empty entry names nobody", Permission(new TrackPermission { AllTracks = true }), "TR_a", false },
        {
            "a second entry allows",
            Permission(new TrackPermission { ParticipantIdentity = "bob", TrackSids = { "TR_b" } }, new TrackPermission { ParticipantSid = "PA_bob", TrackSids = { "TR_a" } }),
            "TR_a",
            true
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Allows(string name, SubscriptionPermission? permission, string trackSid, bool expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, Room.Allows(permission, Bob, trackSid));
    }

    private static SubscriptionPermission Permission(params TrackPermission[] entries)
    {
        var permission = new SubscriptionPermission();
        permission.TrackPermissions.AddRange(entries);
        return permission;
    }
}
