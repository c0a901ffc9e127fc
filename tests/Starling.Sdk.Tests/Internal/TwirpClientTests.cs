using System.Net;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Sdk.Internal;
using Starling.Testing;
using Starling.Protocol.Twirp;

namespace Starling.Sdk.Tests.Internal;

public sealed class TwirpClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeHttpHandler _handler = new();

    [Theory]
    [InlineData("http://localhost:7880", "http://localhost:7880")]
    [InlineData("http://localhost:7880/", "http://localhost:7880")]
    [InlineData("ws://localhost:7880", "http://localhost:7880")]
    [InlineData("wss://example.com", "https://example.com")]
    [InlineData("wss://example.com:443/", "https://example.com")]
    [InlineData("https://example.com/prefix/", "https://example.com/prefix")]
    [InlineData("  ws://127.0.0.1:7880//  ", "http://127.0.0.1:7880")]
    public void NormalizeUrl_MapsWebSocketSchemesAndTrimsSlash(string url, string expected)
    {
        Assert.Equal(expected, TwirpClient.NormalizeUrl(url));
    }

    [Theory]
    [InlineData("localhost:7880")]
    [InlineData("ftp://example.com")]
    [InlineData("not a url")]
    public void NormalizeUrl_Invalid_Throws(string url)
    {
        Assert.Throws<ArgumentException>(() => TwirpClient.NormalizeUrl(url));
    }

    [Fact]
    public void Constructor_UrlFromEnvironment_WhenNotGiven()
    {
        var client = new TwirpClient(null, "k", "s", _handler.CreateClient(), environment: v => v == "LIVEKIT_URL" ? "wss://host.example/" : null);
        Assert.Equal("https://host.example", client.BaseUrl);
    }

    [Fact]
    public void Constructor_NoUrl_ThrowsClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TwirpClient(null, "k", "s", null, environment: _ => null));
        Assert.Contains("LIVEKIT_URL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallAsync_SendsProtobufPostWithHeadersAndFreshToken()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new Room { Name = "r", Sid = "RM_1" }.ToByteArray());
        var client = new TwirpClient("ws://localhost:7880/", "key", "secret", _handler.CreateClient(), new ManualTimeProvider(Now));

        var room = await client.CallAsync("RoomService", "CreateRoom", new CreateRoomRequest { Name = "r" }, Room.Parser, new VideoGrant { RoomCreate = true }, default);

        Assert.Equal("RM_1", room.Sid);
        var request = _handler.Last;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://localhost:7880/twirp/livekit.RoomService/CreateRoom", request.Uri.ToString());
        Assert.Equal("application/protobuf", request.ContentType);
        Assert.StartsWith("starling-sdk-dotnet/", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal("r", CreateRoomRequest.Parser.ParseFrom(request.Body).Name);
        var claims = AccessTokenCodec.Verify(request.BearerToken!, k => k == "key" ? "secret" : null, Now);
        Assert.Equal(Now.AddMinutes(10).ToUnixTimeSeconds(), claims.Expires);
        Assert.True(claims.Video!.RoomCreate);
    }

    [Fact]
    public async Task CallAsync_JsonResponse_IsParsedLeniently()
    {
        _handler.Respond = _ => FakeHttpHandler.Text("{\"name\":\"r\",\"num_participants\":3,\"unknown_field\":1}", HttpStatusCode.OK, "application/json");
        var client = Client();

        var room = await client.CallAsync("RoomService", "CreateRoom", new CreateRoomRequest(), Room.Parser, null, default);

        Assert.Equal(3u, room.NumParticipants);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/json; charset=utf-8")]
    public async Task CallAsync_TwirpErrorBody_MapsToTwirpExceptionWhateverTheContentType(string contentType)
    {
        _handler.Respond = _ => FakeHttpHandler.Text(
            "{\"code\":\"not_found\",\"msg\":\"room does not exist\",\"meta\":{\"room\":\"r\",\"n\":1}}", HttpStatusCode.NotFound, contentType);

        var ex = await Assert.ThrowsAsync<TwirpException>(() =>
            Client().CallAsync("RoomService", "DeleteRoom", new DeleteRoomRequest(), DeleteRoomResponse.Parser, null, default));

        Assert.Equal(TwirpErrorCode.NotFound, ex.Code);
        Assert.Equal("room does not exist", ex.Message);
        Assert.Equal(404, ex.HttpStatus);
        Assert.Equal("r", ex.Meta["room"]);
        Assert.Equal("1", ex.Meta["n"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "invalid API key: x\n", "unauthenticated", "invalid API key: x")]
    [InlineData(HttpStatusCode.Forbidden, "", "permission_denied", "HTTP 403 Forbidden")]
    [InlineData(HttpStatusCode.NotFound, "404 page not found", "bad_route", "404 page not found")]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "unavailable", "<html>bad gateway</html>")]
    [InlineData(HttpStatusCode.InternalServerError, "{\"error\":\"x\"}", "unknown", "{\"error\":\"x\"}")]
    public async Task CallAsync_NonTwirpError_DerivesCodeFromStatus(HttpStatusCode status, string body, string code, string message)
    {
        _handler.Respond = _ => FakeHttpHandler.Text(body, status);

        var ex = await Assert.ThrowsAsync<TwirpException>(() =>
            Client().CallAsync("RoomService", "ListRooms", new ListRoomsRequest(), ListRoomsResponse.Parser, null, default));

        Assert.Equal(code, ex.Code);
        Assert.Equal(message, ex.Message);
        Assert.Equal((int)status, ex.HttpStatus);
        Assert.Empty(ex.Meta);
    }

    [Fact]
    public async Task CallAsync_GarbageProtobufResponse_ThrowsTwirpException()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf([0xFF, 0xFF, 0xFF]);

        var ex = await Assert.ThrowsAsync<TwirpException>(() =>
            Client().CallAsync("RoomService", "ListRooms", new ListRoomsRequest(), ListRoomsResponse.Parser, null, default));

        Assert.Equal(TwirpErrorCode.Internal, ex.Code);
    }

    [Fact]
    public async Task CallAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client().CallAsync("RoomService", "ListRooms", new ListRoomsRequest(), ListRoomsResponse.Parser, null, cts.Token));
    }

    private TwirpClient Client() => new("http://localhost:7880", "key", "secret", _handler.CreateClient());
}
