using System.Globalization;
using System.Text;
using Starling.Rooms;
using Starling.Rooms.Signal;
using Starling.Wire.Diagnostics;

namespace Starling.Server.Metrics;

/// <summary>
/// Renders the server's metrics in the Prometheus text exposition format (version 0.0.4): the media-path counters
/// (<see cref="MediaCounters"/>) and gauges of rooms, participants and published tracks. Served at <c>/metrics</c> on
/// <c>prometheus_port</c>, as livekit-server does.
/// </summary>
internal static class PrometheusExporter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(RoomManager rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        var text = new StringBuilder();
        foreach (var counter in MediaCounters.All.Concat(SignalCounters.All))
        {
            Append(text, counter.Name, counter.Help, "counter", counter.Value);
        }

        var list = rooms.List();
        long participants = 0;
        long tracks = 0;
        foreach (var room in list)
        {
            foreach (var participant in room.ListParticipants())
            {
                participants++;
                tracks += participant.Tracks.Count;
            }
        }

        Append(text, "starling_rooms", "Rooms open on this node.", "gauge", list.Count);
        Append(text, "starling_participants", "Participants in rooms on this node.", "gauge", participants);
        Append(text, "starling_published_tracks", "Tracks published by participants on this node.", "gauge", tracks);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, string help, string type, long value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
