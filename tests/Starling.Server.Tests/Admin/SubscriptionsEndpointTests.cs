using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Server.Tests.Signal;

namespace Starling.Server.Tests.Admin;

/// <summary>The admin view of what a participant is sent: authorised like RoomService calls, Twirp-style errors.</summary>
public sealed class SubscriptionsEndpointTests : IAsyncLifetime
{
    private readonly FakeRtcTransportFactory _transports = new();
    private readonly HttpClient _http = new();
    private StarlingServer _server = null!;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        _server = StarlingServer.Create(TestServer.Config(), transports: _transports);
        await _server.StartAsync();
        _url = _server.Urls[0];
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static string Token(VideoGrant grant, string identity = "admin") => TestServer.Token(grant, identity);

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string room, string identity, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_url}/admin/rooms/{room}/participants/{identity}/subscriptions");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Get_ConnectedParticipant_ListsItsSubscriptions()
    {
        var join = Token(new VideoGrant { RoomJoin = true, Room = "r" }, "alice");
        await using var alice = await SignalClient.ConnectAsync(new Uri(_url.Replace("http", "ws", StringComparison.Ordinal) + "/rtc?access_token=" + join + "&protocol=17"));
        await alice.NextAsync(SignalResponse.MessageOneofCase.Join);

        var (status, body) = await GetAsync("r", "alice", Token(new VideoGrant { RoomAdmin = true, Room = "r" }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice", body.GetProperty("identity").GetString());
        Assert.StartsWith("PA_", body.GetProperty("participant_sid").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, body.GetProperty("subscriptions").GetArrayLength());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "unauthenticated")]
    [InlineData("not-a-jwt", HttpStatusCode.Unauthorized, "unauthenticated")]
    [InlineData("join", HttpStatusCode.Forbidden, "permission_denied")]
    [InlineData("other-room", HttpStatusCode.Forbidden, "permission_denied")]
    [InlineData("admin", HttpStatusCode.NotFound, "not_found")]
    public async Task Get_Refusals_AreTwirpErrors(string? which, HttpStatusCode expected, string code)
    {
        var token = which switch
        {
            null => null,
            "not-a-jwt" => "not-a-jwt",
            "join" => Token(new VideoGrant { RoomJoin = true, Room = "r" }),
            "other-room" => Token(new VideoGrant { RoomAdmin = true, Room = "elsewhere" }),
            _ => Token(new VideoGrant { RoomAdmin = true, Room = "r" }),
        };
        var (status, body) = await GetAsync("r", "nobody", token);
        Assert.Equal(expected, status);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("msg").GetString()));
    }
}
