using Google.Protobuf;
using Starling.Proto;

namespace Starling.Protocol.Tests;

/// <summary>
/// The generated messages read and write protobuf-JSON the way the LiveKit SDKs and the Go server do:
/// camelCase (or snake_case) names, enums by name, int64 as strings, bytes as base64.
/// </summary>
public sealed class ProtobufJsonTests
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    [Fact]
    public void Parse_CamelCaseSendDataRequestFromNodeSdk_ReadsEveryField()
    {
        const string json = """
            {"room":"r","data":"AQID","kind":"LOSSY","destinationIdentities":["bob"],"topic":"chat","nonce":"AAECAwQFBgcICQoLDA0ODw=="}
            """;

        var request = Parser.Parse<SendDataRequest>(json);

        Assert.Equal("r", request.Room);
        Assert.Equal(new byte[] { 1, 2, 3 }, request.Data.ToByteArray());
        Assert.Equal(DataPacket.Types.Kind.Lossy, request.Kind);
        Assert.Equal(["bob"], request.DestinationIdentities);
        Assert.True(request.HasTopic);
        Assert.Equal("chat", request.Topic);
        Assert.Equal(16, request.Nonce.Length);
        Assert.Equal(request, Parser.Parse<SendDataRequest>(JsonFormatter.Default.Format(request)));
    }

    [Theory]
    [InlineData("""{"room":"r"}""", false)]
    [InlineData("""{"room":"r","topic":""}""", true)]
    public void Parse_SendDataRequestTopic_KeepsPresence(string json, bool hasTopic)
    {
        var request = Parser.Parse<SendDataRequest>(json);

        Assert.Equal(hasTopic, request.HasTopic);
        Assert.Equal(hasTopic, JsonFormatter.Default.Format(request).Contains("\"topic\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""
        {"event":"participant_joined","id":"EV_1","createdAt":"1700000002","roomEndReason":"ROOM_END_IDLE_TIMEOUT",
         "room":{"sid":"RM_1","name":"r","emptyTimeout":300,"creationTime":"1700000000","creationTimeMs":"1700000000123"},
         "participant":{"sid":"PA_1","identity":"alice","state":"ACTIVE","kind":"AGENT","joinedAt":"1700000001",
           "attributes":{"k":"v"},"permission":{"canPublish":true,"canPublishSources":["CAMERA","MICROPHONE"]}}}
        """)]
    [InlineData("""
        {"event":"participant_joined","id":"EV_1","created_at":1700000002,"room_end_reason":2,
         "room":{"sid":"RM_1","name":"r","empty_timeout":300,"creation_time":"1700000000","creation_time_ms":1700000000123},
         "participant":{"sid":"PA_1","identity":"alice","state":2,"kind":"AGENT","joined_at":"1700000001",
           "attributes":{"k":"v"},"permission":{"can_publish":true,"can_publish_sources":["CAMERA",2]}}}
        """)]
    public void Parse_WebhookEventInEitherNamingStyle_ReadsEveryField(string json)
    {
        var webhook = Parser.Parse<WebhookEvent>(json);

        Assert.Equal("participant_joined", webhook.Event);
        Assert.Equal("EV_1", webhook.Id);
        Assert.Equal(1_700_000_002, webhook.CreatedAt);
        Assert.Equal(RoomEndReason.RoomEndIdleTimeout, webhook.RoomEndReason);
        Assert.Equal("RM_1", webhook.Room.Sid);
        Assert.Equal(300u, webhook.Room.EmptyTimeout);
        Assert.Equal(1_700_000_000_123, webhook.Room.CreationTimeMs);
        Assert.Equal(ParticipantInfo.Types.State.Active, webhook.Participant.State);
        Assert.Equal(ParticipantInfo.Types.Kind.Agent, webhook.Participant.Kind);
        Assert.Equal(1_700_000_001, webhook.Participant.JoinedAt);
        Assert.Equal("v", webhook.Participant.Attributes["k"]);
        Assert.True(webhook.Participant.Permission.CanPublish);
        Assert.Equal([TrackSource.Camera, TrackSource.Microphone], webhook.Participant.Permission.CanPublishSources);
    }

    [Fact]
    public void Format_WebhookEvent_UsesCamelCaseEnumNamesAndInt64Strings()
    {
        var webhook = new WebhookEvent
        {
            Event = "room_finished",
            Id = "EV_1",
            CreatedAt = 1_700_000_002,
            RoomEndReason = RoomEndReason.RoomEndApiDelete,
            Room = new Room { Sid = "RM_1", Name = "r", CreationTimeMs = 1_700_000_000_123 },
        };

        var json = JsonFormatter.Default.Format(webhook);

        Assert.Contains("\"createdAt\": \"1700000002\"", json, StringComparison.Ordinal);
        Assert.Contains("\"roomEndReason\": \"ROOM_END_API_DELETE\"", json, StringComparison.Ordinal);
        Assert.Contains("\"creationTimeMs\": \"1700000000123\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("emptyTimeout", json, StringComparison.Ordinal);
        Assert.Equal(webhook, Parser.Parse<WebhookEvent>(json));
    }

    [Fact]
    public void Format_TrickleRequest_KeepsLiteralCandidateInitName()
    {
        var trickle = new TrickleRequest { CandidateInit = "{}", Target = SignalTarget.Subscriber };

        var json = JsonFormatter.Default.Format(trickle);

        Assert.Equal("""{ "candidateInit": "{}", "target": "SUBSCRIBER" }""", json);
    }

    [Fact]
    public void Parse_DataPacketWithMemberWeLeaveOut_PreservesItWhenReserialized()
    {
        // DataPacket.metrics (field 8, MetricsBatch) is not in our schema; forwarding must keep it.
        var known = new DataPacket { ParticipantIdentity = "alice", Sequence = 3 }.ToByteArray();
        byte[] metrics = [0x42, 0x02, 0x08, 0x01]; // field 8, length-delimited, 2 bytes: {timestamp_ms: 1}
        var wire = known.Concat(metrics).ToArray();

        var packet = DataPacket.Parser.ParseFrom(wire);
        packet.ParticipantSid = "PA_1";
        var forwarded = DataPacket.Parser.ParseFrom(packet.ToByteArray());

        Assert.Equal(DataPacket.ValueOneofCase.None, forwarded.ValueCase);
        Assert.Equal("PA_1", forwarded.ParticipantSid);
        Assert.EndsWith(Convert.ToHexString(metrics), Convert.ToHexString(forwarded.ToByteArray()), StringComparison.Ordinal);
    }
}
