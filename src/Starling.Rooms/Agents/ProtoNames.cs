using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>The protobuf names of the agent enums (as livekit-server logs and protojson print them).</summary>
internal static class ProtoNames
{
    public static string Of(JobType type) => type switch
    {
        JobType.JtRoom => "JT_ROOM",
        JobType.JtPublisher => "JT_PUBLISHER",
        JobType.JtParticipant => "JT_PARTICIPANT",
        _ => ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string Of(WorkerStatus status) => status == WorkerStatus.WsFull ? "WS_FULL" : "WS_AVAILABLE";

    public static string Of(JobStatus status) => status switch
    {
        JobStatus.JsPending => "JS_PENDING",
        JobStatus.JsRunning => "JS_RUNNING",
        JobStatus.JsSuccess => "JS_SUCCESS",
        _ => "JS_FAILED",
    };
}
