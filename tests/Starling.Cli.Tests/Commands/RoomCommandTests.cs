using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Cli.Tests.Commands;

public sealed class RoomCommandTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task List_LocalhostWithoutCredentials_UsesDevKeysAndPrintsTable()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new ListRoomsResponse
        {
            Rooms = { new Room { Name = "lobby", Sid = "RM_abc", NumParticipants = 2, Metadata = "m" } },
        }.ToByteArray());

        var result = (await _cli.RunAsync("room", "list")).AssertSuccess();

        Assert.Equal("http://localhost:7880/twirp/livekit.RoomService/ListRooms", _cli.Http.Last.Uri.ToString());
        Assert.Equal(new VideoGrant { RoomList = true }, _cli.LastClaims("devkey", "secret").Video);
        Assert.Contains("lobby", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("RM_abc", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Names_AreSent()
    {
        (await _cli.RunAsync("room", "list", "a", "b")).AssertSuccess();
        Assert.Equal(["a", "b"], ListRoomsRequest.Parser.ParseFrom(_cli.Http.Last.Body).Names);
    }

    [Fact]
    public async Task List_Json_PrintsProtobufJson()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new ListRoomsResponse { Rooms = { new Room { Name = "lobby", NumParticipants = 2 } } }.ToByteArray());

        var result = (await _cli.RunAsync("room", "list", "--json")).AssertSuccess();

        using var doc = JsonDocument.Parse(result.Stdout);
        var room = doc.RootElement.GetProperty("rooms")[0];
        Assert.Equal("lobby", room.GetProperty("name").GetString());
        Assert.Equal(2, room.GetProperty("numParticipants").GetInt32());
        Assert.Equal(0, room.GetProperty("numPublishers").GetInt32());
    }

    [Fact]
    public async Task List_Empty_SaysSo()
    {
        var result = (await _cli.RunAsync("room", "list")).AssertSuccess();
        Assert.Equal("no rooms", result.Line);
    }

    [Fact]
    public async Task List_RemoteUrlAndEnvCredentials_MapsWssToHttps()
    {
        _cli.Environment["LIVEKIT_URL"] = "wss://lk.example.com/";
        _cli.Environment["LIVEKIT_API_KEY"] = "k";
        _cli.Environment["LIVEKIT_API_SECRET"] = "s";

        (await _cli.RunAsync("room", "list")).AssertSuccess();

        Assert.Equal("https://lk.example.com/twirp/livekit.RoomService/ListRooms", _cli.Http.Last.Uri.ToString());
        Assert.Equal("k", _cli.LastClaims("k", "s").Issuer);
    }

    [Fact]
    public async Task List_OptionsOverrideEnvironment()
    {
        _cli.Environment["LIVEKIT_URL"] = "https://env.example.com";
        _cli.Environment["LIVEKIT_API_KEY"] = "envkey";
        _cli.Environment["LIVEKIT_API_SECRET"] = "envsecret";

        (await _cli.RunAsync("room", "list", "--url", "ws://127.0.0.1:9000", "--api-key", "k", "--api-secret", "s")).AssertSuccess();

        Assert.Equal("http://127.0.0.1:9000/twirp/livekit.RoomService/ListRooms", _cli.Http.Last.Uri.ToString());
        Assert.Equal("k", _cli.LastClaims("k", "s").Issuer);
    }

    [Fact]
    public async Task List_RemoteUrlWithoutCredentials_FailsBeforeCalling()
    {
        (await _cli.RunAsync("room", "list", "--url", "https://lk.example.com")).AssertError("missing API key");
        Assert.Empty(_cli.Http.Requests);
    }

    [Theory]
    [InlineData("localhost:7880")]
    [InlineData("ftp://example.com")]
    public async Task List_InvalidUrl_ExitsOne(string url)
    {
        (await _cli.RunAsync("room", "list", "--url", url)).AssertError($"invalid server URL '{url}'");
    }

    [Fact]
    public async Task List_TwirpError_PrintsCodeAndMessage()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Text("{\"code\":\"unauthenticated\",\"msg\":\"permissions denied\"}", HttpStatusCode.Unauthorized, "application/json");

        var result = (await _cli.RunAsync("room", "list")).AssertError("error: unauthenticated: permissions denied");

        Assert.Equal(string.Empty, result.Stdout);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task List_ServerDown_PrintsOneLine()
    {
        _cli.Http.Respond = _ => throw new HttpRequestException("Connection refused (localhost:7880)");
        (await _cli.RunAsync("room", "list")).AssertError("error: cannot reach the server: Connection refused");
    }

    [Fact]
    public async Task Create_SendsOptions()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new Room { Name = "r", Sid = "RM_1", EmptyTimeout = 300 }.ToByteArray());

        var result = (await _cli.RunAsync("room", "create", "r", "--empty-timeout", "5m", "--departure-timeout", "20", "--max-participants", "4",
            "--metadata", "m", "--agent", "bot", "--agent", "helper")).AssertSuccess();

        var sent = CreateRoomRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("r", 300u, 20u, 4u, "m"), (sent.Name, sent.EmptyTimeout, sent.DepartureTimeout, sent.MaxParticipants, sent.Metadata));
        Assert.Equal(["bot", "helper"], sent.Agents.Select(a => a.AgentName));
        Assert.Equal("/twirp/livekit.RoomService/CreateRoom", _cli.Http.Last.Uri.AbsolutePath);
        Assert.Equal(new VideoGrant { RoomCreate = true }, _cli.LastClaims().Video);
        Assert.Contains("RM_1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_RequestJson_IsMergedWithOptions()
    {
        (await _cli.RunAsync("room", "create", "r", "--request", """{"maxParticipants":9,"syncStreams":true}""", "--metadata", "m")).AssertSuccess();

        var sent = CreateRoomRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("r", 9u, true, "m"), (sent.Name, sent.MaxParticipants, sent.SyncStreams, sent.Metadata));
    }

    [Fact]
    public async Task Create_MissingName_IsParseError()
    {
        var result = await _cli.RunAsync("room", "create");
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(_cli.Http.Requests);
    }

    [Fact]
    public async Task Delete_SendsRoomWithRoomCreateGrant()
    {
        var result = (await _cli.RunAsync("room", "delete", "r")).AssertSuccess();

        Assert.Equal("r", DeleteRoomRequest.Parser.ParseFrom(_cli.Http.Last.Body).Room);
        Assert.Equal(new VideoGrant { RoomCreate = true }, _cli.LastClaims().Video);
        Assert.Equal("deleted room r", result.Line);
    }

    [Fact]
    public async Task Delete_NotFound_ExitsOne()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Text("{\"code\":\"not_found\",\"msg\":\"room r does not exist\"}", HttpStatusCode.NotFound, "application/json");
        (await _cli.RunAsync("room", "delete", "r")).AssertError("error: not_found: room r does not exist");
    }

    [Fact]
    public async Task UpdateMetadata_SendsMetadataWithAdminGrant()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new Room { Name = "r", Metadata = "new" }.ToByteArray());

        var result = (await _cli.RunAsync("room", "update-metadata", "r", "new", "--json")).AssertSuccess();

        var sent = UpdateRoomMetadataRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("r", "new"), (sent.Room, sent.Metadata));
        Assert.Equal(new VideoGrant { RoomAdmin = true, Room = "r" }, _cli.LastClaims().Video);
        Assert.Equal("new", JsonDocument.Parse(result.Stdout).RootElement.GetProperty("metadata").GetString());
    }
}
