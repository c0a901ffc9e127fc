using System.Text;
using Starling.Proto;
using Starling.Protocol.Webhooks;
using Starling.Testing;

namespace Starling.Sdk.Tests;

public sealed class WebhookReceiverTests
{
    private const string Body = """{"event":"participant_joined","room":{"sid":"RM_1","name":"r"},"participant":{"identity":"alice","joinedAt":"1700000000"},"id":"EV_1","createdAt":"1700000000","futureField":{"x":1}}""";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly WebhookReceiver _receiver = new("key", "secret", new ManualTimeProvider(Now));

    [Fact]
    public void Receive_SignedBody_ReturnsEventIgnoringUnknownFields()
    {
        var evt = _receiver.Receive(Body, Sign(Body));

        Assert.Equal("participant_joined", evt.Event);
        Assert.Equal("r", evt.Room.Name);
        Assert.Equal("alice", evt.Participant.Identity);
        Assert.Equal(1700000000, evt.Participant.JoinedAt);
        Assert.Equal(1700000000, evt.CreatedAt);
    }

    [Fact]
    public void Receive_SnakeCaseBody_IsAccepted()
    {
        const string body = """{"event":"room_finished","room":{"name":"r","num_participants":2},"created_at":5,"room_end_reason":"ROOM_END_API_DELETE"}""";

        var evt = _receiver.Receive(body, Sign(body));

        Assert.Equal(2u, evt.Room.NumParticipants);
        Assert.Equal(5, evt.CreatedAt);
        Assert.Equal(RoomEndReason.RoomEndApiDelete, evt.RoomEndReason);
    }

    [Fact]
    public void Receive_BytesOverload_AndBearerPrefix_AreAccepted()
    {
        var evt = _receiver.Receive(Encoding.UTF8.GetBytes(Body), "Bearer " + Sign(Body));
        Assert.Equal("EV_1", evt.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Receive_NoAuthHeader_Throws(string? header)
    {
        var ex = Assert.Throws<WebhookException>(() => _receiver.Receive(Body, header));
        Assert.Contains("authorization header is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_ChangedBody_ThrowsChecksumMismatch()
    {
        var ex = Assert.Throws<WebhookException>(() => _receiver.Receive(Body.Replace("alice", "mallory", StringComparison.Ordinal), Sign(Body)));
        Assert.Contains("sha256", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other", "secret")]
    [InlineData("key", "wrong")]
    public void Receive_SignedWithOtherCredentials_Throws(string key, string secret)
    {
        var header = WebhookAuth.Sign(Encoding.UTF8.GetBytes(Body), key, secret, Now);
        var ex = Assert.Throws<WebhookException>(() => _receiver.Receive(Body, header));
        Assert.IsType<Starling.Protocol.Auth.TokenValidationException>(ex.InnerException);
    }

    [Fact]
    public void Receive_ExpiredSignature_Throws()
    {
        var header = WebhookAuth.Sign(Encoding.UTF8.GetBytes(Body), "key", "secret", Now.AddMinutes(-6));
        var ex = Assert.Throws<WebhookException>(() => _receiver.Receive(Body, header));
        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_GarbageToken_Throws()
    {
        Assert.Throws<WebhookException>(() => _receiver.Receive(Body, "garbage"));
    }

    [Fact]
    public void Receive_SkipAuth_ParsesWithoutHeader()
    {
        Assert.Equal("EV_1", _receiver.Receive(Body, null, skipAuth: true).Id);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"event":5,"room":"x"}""")]
    public void Receive_InvalidBody_ThrowsWebhookException(string body)
    {
        var ex = Assert.Throws<WebhookException>(() => _receiver.Receive(body, Sign(body)));
        Assert.Contains("not a valid WebhookEvent", ex.Message, StringComparison.Ordinal);
    }

    private static string Sign(string body) => WebhookAuth.Sign(Encoding.UTF8.GetBytes(body), "key", "secret", Now);
}
