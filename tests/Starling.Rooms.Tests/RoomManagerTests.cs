using Starling.Proto;
using Starling.Testing;

namespace Starling.Rooms.Tests;

public sealed class RoomManagerTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingSink _events = new();

    private RoomManager Manager(RoomOptions? options = null) => new(options ?? new RoomOptions(), _time, _events);

    private static Participant Join(Rooms.Room room, string identity, RecordingSink sink)
    {
        return room.AddParticipant(new Participant("PA_" + identity, identity, sink));
    }

    [Fact]
    public void CreateRoom_New_EmitsRoomStartedWithSid()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r", EmptyTimeout = 30, MaxParticipants = 2, Metadata = "m" }).ToProto();
        Assert.StartsWith("RM_", room.Sid, StringComparison.Ordinal);
        Assert.Equal(30u, room.EmptyTimeout);
        Assert.Equal(20u, room.DepartureTimeout);
        Assert.Equal(2u, room.MaxParticipants);
        Assert.Equal("m", room.Metadata);
        var evt = Assert.Single(_events.Events);
        Assert.Equal("room_started", evt.Event);
        Assert.StartsWith("EV_", evt.Id, StringComparison.Ordinal);
        Assert.Equal(room.Sid, evt.Room.Sid);
    }

    [Fact]
    public void CreateRoom_Existing_ReturnsSameRoomAndAppliesSettings()
    {
        using var manager = Manager();
        var first = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var second = manager.CreateRoom(new CreateRoomRequest { Name = "r", EmptyTimeout = 9 });
        Assert.Same(first, second);
        Assert.Equal(9u, second.EmptyTimeout);
        Assert.Single(_events.Events);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void CreateRoom_EmptyName_IsInvalid(string? name)
    {
        using var manager = Manager();
        var ex = Assert.Throws<RoomException>(() => manager.CreateRoom(new CreateRoomRequest { Name = name ?? string.Empty }));
        Assert.Equal(RoomErrorCode.InvalidArgument, ex.Code);
    }

    [Fact]
    public void EmptyRoom_ClosesAfterEmptyTimeout()
    {
        using var manager = Manager();
        manager.CreateRoom(new CreateRoomRequest { Name = "r", EmptyTimeout = 10 });
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(manager.Find("r"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(manager.Find("r"));
        var finished = _events.Events[^1];
        Assert.Equal("room_finished", finished.Event);
        Assert.Equal(RoomEndReason.RoomEndIdleTimeout, finished.RoomEndReason);
    }

    [Fact]
    public void RoomWithDepartedParticipants_ClosesAfterDepartureTimeout()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r", EmptyTimeout = 5, DepartureTimeout = 3 });
        var sink = new RecordingSink();
        var alice = Join(room, "alice", sink);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.NotNull(manager.Find("r"));
        room.Leave(alice, DisconnectReason.ClientInitiated);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(manager.Find("r"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(manager.Find("r"));
    }

    [Fact]
    public void DeleteRoom_DisconnectsParticipantsAndEmitsInOrder()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var sink = new RecordingSink();
        var alice = Join(room, "alice", sink);
        room.MarkActive(alice);
        manager.DeleteRoom("r");
        Assert.Equal([DisconnectReason.RoomDeleted], sink.Disconnects);
        Assert.Equal(["room_started", "participant_joined", "participant_left", "room_finished"], _events.Events.Select(e => e.Event));
        Assert.Equal(RoomEndReason.RoomEndApiDelete, _events.Events[^1].RoomEndReason);
        Assert.Equal(RoomErrorCode.NotFound, Assert.Throws<RoomException>(() => manager.DeleteRoom("r")).Code);
    }

    [Fact]
    public void GetForJoin_AutoCreateOff_MissingRoomIsNotFoundWithClientText()
    {
        using var manager = Manager(new RoomOptions { AutoCreate = false });
        var ex = Assert.Throws<RoomException>(() => manager.GetForJoin("r", null));
        Assert.Equal(RoomErrorCode.NotFound, ex.Code);
        Assert.Contains("requested room does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetForJoin_AppliesTokenRoomConfigOnlyWhenCreating()
    {
        using var manager = Manager();
        var room = manager.GetForJoin("r", new RoomConfiguration { EmptyTimeout = 7, Agents = { new RoomAgentDispatch { AgentName = "a" } } });
        Assert.Equal(7u, room.EmptyTimeout);
        Assert.Single(room.ListDispatches(null));
        manager.GetForJoin("r", new RoomConfiguration { EmptyTimeout = 99 });
        Assert.Equal(7u, room.EmptyTimeout);
    }

    [Fact]
    public void AddParticipant_Full_IsResourceExhausted()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r", MaxParticipants = 1 });
        Join(room, "a", new RecordingSink());
        Assert.Equal(RoomErrorCode.ResourceExhausted, Assert.Throws<RoomException>(() => Join(room, "b", new RecordingSink())).Code);
    }

    [Fact]
    public void AddParticipant_DuplicateIdentity_KicksTheOldSession()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var old = new RecordingSink();
        Join(room, "a", old);
        var fresh = Join(room, "a", new RecordingSink());
        Assert.Equal([DisconnectReason.DuplicateIdentity], old.Disconnects);
        Assert.Same(fresh, room.Find("a"));
        Assert.Equal("participant_connection_aborted", _events.Events[^1].Event);
    }

    [Fact]
    public void UpdateParticipant_BroadcastsNewVersionToEveryone()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var aliceSink = new RecordingSink();
        var bobSink = new RecordingSink();
        var alice = Join(room, "alice", aliceSink);
        Join(room, "bob", bobSink);
        var before = alice.Version;
        var info = room.UpdateParticipant("alice", "Alice", "meta", new Dictionary<string, string> { ["k"] = "v" }, new ParticipantPermission { CanPublish = false });
        Assert.Equal("Alice", info.Name);
        Assert.Equal("meta", info.Metadata);
        Assert.Equal("v", info.Attributes["k"]);
        Assert.False(info.Permission.CanPublish);
        Assert.True(info.Version > before);
        Assert.Equal("meta", Assert.Single(bobSink.Signals).Update.Participants[0].Metadata);
        Assert.Single(aliceSink.Signals);

        room.UpdateParticipant("alice", null, null, new Dictionary<string, string> { ["k"] = string.Empty }, null);
        Assert.Empty(room.GetParticipant("alice").Attributes);
    }

    [Fact]
    public void RemoveParticipant_TellsTheClientAndTheOthers()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var aliceSink = new RecordingSink();
        var bobSink = new RecordingSink();
        Join(room, "alice", aliceSink);
        Join(room, "bob", bobSink);
        room.RemoveParticipant("alice");
        Assert.Equal([DisconnectReason.ParticipantRemoved], aliceSink.Disconnects);
        var update = Assert.Single(bobSink.Signals).Update.Participants[0];
        Assert.Equal(ParticipantInfo.Types.State.Disconnected, update.State);
        Assert.Equal(DisconnectReason.ParticipantRemoved, update.DisconnectReason);
        Assert.Equal(RoomErrorCode.NotFound, Assert.Throws<RoomException>(() => room.RemoveParticipant("alice")).Code);
    }

    [Fact]
    public void SendData_RoutesToDestinationsOnly()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var a = new RecordingSink();
        var b = new RecordingSink();
        Join(room, "a", a);
        Join(room, "b", b);
        var packet = new DataPacket { User = new UserPacket { Payload = Google.Protobuf.ByteString.CopyFromUtf8("hi") }, DestinationIdentities = { "b" } };
        Assert.Equal(1, room.SendData(packet, reliable: true));
        Assert.Empty(a.Data);
        Assert.True(Assert.Single(b.Data).Reliable);
        Assert.Equal(2, room.SendData(new DataPacket(), reliable: false));
    }

    [Fact]
    public void MuteTrack_UnmuteWithoutRemoteUnmute_IsRefused()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var sink = new RecordingSink();
        var alice = Join(room, "alice", sink);
        alice.AddTrack(new TrackInfo { Sid = "TR_a", Type = TrackType.Audio });
        Assert.True(room.MuteTrack("alice", "TR_a", true).Muted);
        Assert.Equal("TR_a", sink.Signals.First(s => s.Mute is not null).Mute.Sid);
        Assert.Equal(RoomErrorCode.FailedPrecondition, Assert.Throws<RoomException>(() => room.MuteTrack("alice", "TR_a", false)).Code);
        Assert.Equal(RoomErrorCode.NotFound, Assert.Throws<RoomException>(() => room.MuteTrack("alice", "TR_x", true)).Code);
    }

    [Fact]
    public void ConnectionQuality_BroadcastOnChangeOnly_WithEveryActiveParticipant()
    {
        using var manager = Manager();
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "q" });
        var aSink = new RecordingSink();
        var bSink = new RecordingSink();
        var a = Join(room, "a", aSink);
        var b = Join(room, "b", bSink);
        room.MarkActive(a);
        room.MarkActive(b);
        List<ConnectionQualityUpdate> Updates(RecordingSink sink) =>
            sink.Signals.Where(m => m.MessageCase == SignalResponse.MessageOneofCase.ConnectionQuality).Select(m => m.ConnectionQuality).ToList();

        room.BroadcastConnectionQuality();
        var first = Assert.Single(Updates(bSink));
        Assert.Equal([("PA_a", ConnectionQuality.Excellent), ("PA_b", ConnectionQuality.Excellent)],
            first.Updates.Select(u => (u.ParticipantSid, u.Quality)).OrderBy(u => u.ParticipantSid));

        room.BroadcastConnectionQuality(); // nothing changed: nothing sent
        Assert.Single(Updates(aSink));

        a.Quality = ConnectionQuality.Poor;
        a.QualityScore = 2.5f;
        room.BroadcastConnectionQuality();
        var second = Updates(bSink)[^1];
        Assert.Equal(2, Updates(aSink).Count);
        var info = second.Updates.Single(u => u.ParticipantSid == "PA_a");
        Assert.Equal((ConnectionQuality.Poor, 2.5f), (info.Quality, info.Score));
    }
}
