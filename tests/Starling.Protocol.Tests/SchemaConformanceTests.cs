using System.Text.Json.Nodes;
using Starling.Protocol.Tests.Schema;

namespace Starling.Protocol.Tests;

/// <summary>
/// Our protocol/*.proto must agree with LiveKit's published schema (@livekit/protocol, the version
/// livekit-client 2.23 uses) on everything we define: that is what keeps the binary wire format,
/// protobuf-JSON names, enum names and Twirp routes compatible with the official SDKs.
/// </summary>
public sealed class SchemaConformanceTests
{
    [Fact]
    public void OurSchema_ComparedWithLiveKitProtocolPackage_HasNoDifferences()
    {
        var reference = LiveKitSchemaDump.Load();
        Assert.Equal("1.52.1", reference.Version);
        Assert.True(reference.Messages.Count > 100, $"the dump lists only {reference.Messages.Count} messages");

        var ours = DescriptorSchema.Describe(DescriptorSchema.StarlingFiles());
        var differences = SchemaComparer.Compare(ours, reference);

        Assert.True(
            differences.Count == 0,
            $"{differences.Count} difference(s) from @livekit/protocol {reference.Version}:\n" + string.Join('\n', differences));
    }

    [Fact]
    public void StarlingFiles_Always_FindsEveryProtoFile()
    {
        var names = DescriptorSchema.StarlingFiles().Select(f => f.Name).ToList();

        Assert.Equal(
            ["agent_dispatch.proto", "agent_worker.proto", "data.proto", "models.proto", "room_service.proto", "signal.proto", "webhook.proto"],
            names);
        Assert.All(DescriptorSchema.StarlingFiles(), f => Assert.Equal("livekit", f.Package));
    }

    [Fact]
    public void Compare_IdenticalSchemas_ReportsNothing()
    {
        var ours = DescriptorSchema.Describe(DescriptorSchema.StarlingFiles());
        var roundTripped = SchemaDescription.Parse(ours.ToJson());

        Assert.Empty(SchemaComparer.Compare(ours, roundTripped));
    }

    [Fact]
    public void Compare_DoctoredReference_ReportsEveryDifference()
    {
        var ours = DescriptorSchema.Describe(DescriptorSchema.StarlingFiles());
        var json = JsonNode.Parse(ours.ToJson())!;
        var messages = json["messages"]!.AsObject();
        var enums = json["enums"]!.AsObject();

        Field(messages, "livekit.Codec", "mime")["number"] = 9;
        messages.Remove("livekit.Ping");
        Field(messages, "livekit.Room", "sid")["name"] = "room_sid";
        Field(messages, "livekit.Room", "metadata")["jsonName"] = "meta";
        Field(messages, "livekit.TrackInfo", "width")["type"] = "int32";
        Field(messages, "livekit.TrackInfo", "codecs")["type"] = "livekit.Codec";
        Field(messages, "livekit.TrackInfo", "layers")["repeated"] = false;
        Field(messages, "livekit.UserPacket", "topic")["optional"] = false;
        Field(messages, "livekit.DataPacket", "user")["oneof"] = null;
        Field(messages, "livekit.SessionDescription", "mid_to_track_id")["mapValue"]!["type"] = "bytes";
        RemoveField(messages, "livekit.ParticipantInfo", "attributes");
        enums["livekit.TrackType"]!["VIDEO"] = 7;
        enums["livekit.TrackSource"]!.AsObject().Remove("SCREEN_SHARE_AUDIO");
        enums.Remove("livekit.StreamState");

        var differences = SchemaComparer.Compare(ours, SchemaDescription.Parse(json.ToJsonString()));

        string[] expected =
        [
            "field livekit.Codec.mime: number 1, LiveKit has 9",
            "message livekit.Ping: does not exist in LiveKit's schema",
            "field livekit.Room.sid = 1: name sid, LiveKit has room_sid",
            "field livekit.Room.metadata: JSON name metadata, LiveKit has meta",
            "field livekit.TrackInfo.width: type scalar uint32, LiveKit has scalar int32",
            "field livekit.TrackInfo.codecs: type message livekit.SimulcastCodecInfo, LiveKit has message livekit.Codec",
            "field livekit.TrackInfo.layers: label repeated, LiveKit has singular",
            "field livekit.UserPacket.topic: label optional, LiveKit has singular",
            "field livekit.DataPacket.user: oneof value, LiveKit has (none)",
            "field livekit.SessionDescription.mid_to_track_id: type map<string, string>, LiveKit has map<string, bytes>",
            "field livekit.ParticipantInfo.attributes = 15: does not exist in LiveKit's schema",
            "enum value livekit.TrackType.VIDEO: number 1, LiveKit has 7",
            "enum value livekit.TrackSource.SCREEN_SHARE_AUDIO = 4: does not exist in LiveKit's schema",
            "enum livekit.StreamState: does not exist in LiveKit's schema",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), differences.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compare_ReferenceWithExtraMembers_ReportsNothing()
    {
        var ours = DescriptorSchema.Describe(DescriptorSchema.StarlingFiles());
        var json = JsonNode.Parse(ours.ToJson())!;
        var room = json["messages"]!["livekit.Room"]!["fields"]!.AsArray();
        room.Add(JsonNode.Parse(
            """{"number":99,"name":"future","jsonName":"future","kind":"scalar","type":"string","repeated":false,"optional":false,"oneof":null,"mapKey":null,"mapValue":null}"""));
        json["messages"]!["livekit.Future"] = JsonNode.Parse("""{"fields":[]}""");
        json["enums"]!["livekit.TrackType"]!["HOLOGRAM"] = 3;

        Assert.Empty(SchemaComparer.Compare(ours, SchemaDescription.Parse(json.ToJsonString())));
    }

    private static JsonObject Field(JsonObject messages, string message, string field) =>
        messages[message]!["fields"]!.AsArray().Select(f => f!.AsObject()).Single(f => (string?)f["name"] == field);

    private static void RemoveField(JsonObject messages, string message, string field)
    {
        var fields = messages[message]!["fields"]!.AsArray();
        fields.Remove(fields.Single(f => (string?)f!["name"] == field));
    }
}
