using System.Text.Json;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Cli.Tests.Commands;

public sealed class ParticipantCommandTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task List_PrintsParticipants()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new ListParticipantsResponse
        {
            Participants = { new ParticipantInfo { Identity = "alice", Sid = "PA_1", State = ParticipantInfo.Types.State.Active } },
        }.ToByteArray());

        var result = (await _cli.RunAsync("participant", "list", "--room", "r")).AssertSuccess();

        Assert.Equal("/twirp/livekit.RoomService/ListParticipants", _cli.Http.Last.Uri.AbsolutePath);
        Assert.Equal(new VideoGrant { RoomAdmin = true, Room = "r" }, _cli.LastClaims().Video);
        Assert.Contains("alice", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Active", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithoutRoom_IsParseError()
    {
        var result = await _cli.RunAsync("participant", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--room", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_cli.Http.Requests);
    }

    [Fact]
    public async Task Get_PrintsParticipantAndTracks()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new ParticipantInfo
        {
            Identity = "alice",
            Sid = "PA_1",
            Tracks = { new TrackInfo { Sid = "TR_1", Type = TrackType.Audio, Source = TrackSource.Microphone } },
            Permission = new ParticipantPermission { CanPublish = true },
        }.ToByteArray());

        var result = (await _cli.RunAsync("participant", "get", "--room", "r", "--identity", "alice")).AssertSuccess();

        var sent = RoomParticipantIdentity.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("r", "alice"), (sent.Room, sent.Identity));
        Assert.Contains("TR_1", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Microphone", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_SendsIdentity()
    {
        var result = (await _cli.RunAsync("participant", "remove", "--room", "r", "--identity", "alice")).AssertSuccess();

        Assert.Equal("/twirp/livekit.RoomService/RemoveParticipant", _cli.Http.Last.Uri.AbsolutePath);
        Assert.Equal("alice", RoomParticipantIdentity.Parser.ParseFrom(_cli.Http.Last.Body).Identity);
        Assert.Equal("removed alice from r", result.Line);
    }

    [Fact]
    public async Task Update_SendsMetadataNameAttributesPermission()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new ParticipantInfo { Identity = "alice", Name = "Al" }.ToByteArray());

        var result = (await _cli.RunAsync("participant", "update", "--room", "r", "--identity", "alice", "--metadata", "m", "--name", "Al",
            "--attribute", "k=v", "--attribute", "gone=", "--permission", """{"canPublish":true,"canPublishSources":["CAMERA"]}""", "--json")).AssertSuccess();

        var sent = UpdateParticipantRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("m", "Al"), (sent.Metadata, sent.Name));
        Assert.Equal("v", sent.Attributes["k"]);
        Assert.Equal("", sent.Attributes["gone"]);
        Assert.True(sent.Permission.CanPublish);
        Assert.Equal([TrackSource.Camera], sent.Permission.CanPublishSources);
        Assert.Equal("Al", JsonDocument.Parse(result.Stdout).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_Nothing_ExitsOne()
    {
        (await _cli.RunAsync("participant", "update", "--room", "r", "--identity", "alice")).AssertError("nothing to update");
        Assert.Empty(_cli.Http.Requests);
    }

    [Fact]
    public async Task Update_BadPermissionJson_ExitsOne()
    {
        (await _cli.RunAsync("participant", "update", "--room", "r", "--identity", "a", "--permission", "{\"canPublsh\":true}")).AssertError("invalid --permission");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mute_SendsTrackAndMuted(bool unmute)
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new MuteRoomTrackResponse { Track = new TrackInfo { Sid = "TR_1", Muted = !unmute } }.ToByteArray());
        string[] args = ["participant", "mute", "--room", "r", "--identity", "alice", "--track", "TR_1"];

        var result = (await _cli.RunAsync(unmute ? [.. args, "--unmute"] : args)).AssertSuccess();

        var sent = MuteRoomTrackRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("TR_1", !unmute), (sent.TrackSid, sent.Muted));
        Assert.Equal(unmute ? "track TR_1 is unmuted" : "track TR_1 is muted", result.Line);
    }
}
