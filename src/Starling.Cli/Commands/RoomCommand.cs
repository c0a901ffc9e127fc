using System.CommandLine;
using Starling.Proto;

namespace Starling.Cli.Commands;

/// <summary><c>starling room list|create|delete|update-metadata</c>.</summary>
internal static class RoomCommand
{
    public static Command Create(CliContext context) => new("room", "Manage rooms")
    {
        List(context),
        CreateRoom(context),
        Delete(context),
        UpdateMetadata(context),
    };

    internal static void WriteRoom(CliContext context, Room room) =>
        context.Write(CliOutput.KeyValues(
        [
            ("Name", room.Name),
            ("SID", room.Sid),
            ("Participants", room.NumParticipants.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Publishers", room.NumPublishers.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Max participants", room.MaxParticipants == 0 ? "unlimited" : room.MaxParticipants.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Empty timeout", room.EmptyTimeout + "s"),
            ("Departure timeout", room.DepartureTimeout + "s"),
            ("Created", CliOutput.UnixTime(room.CreationTime)),
            ("Metadata", room.Metadata),
        ]));

    private static Command List(CliContext context)
    {
        var api = new ApiOptions();
        var names = new Argument<string[]>("names") { Description = "only these rooms", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("list", "List rooms") { names };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var request = new ListRoomsRequest { Names = { parse.GetValue(names) ?? [] } };
            var response = await api.RoomService(parse, context).ListRoomsAsync(request, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(response);
                return;
            }

            if (response.Rooms.Count == 0)
            {
                context.WriteLine("no rooms");
                return;
            }

            var table = CliOutput.NewTable("Name", "SID", "Participants", "Publishers", "Created", "Metadata");
            foreach (var room in response.Rooms.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                table.AddTextRow(room.Name, room.Sid, room.NumParticipants.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    room.NumPublishers.ToString(System.Globalization.CultureInfo.InvariantCulture), CliOutput.UnixTime(room.CreationTime), room.Metadata);
            }

            context.Write(table);
        });
        return command;
    }

    private static Command CreateRoom(CliContext context)
    {
        var api = new ApiOptions();
        var name = new Argument<string>("name") { Description = "room name" };
        var emptyTimeout = new Option<TimeSpan?>("--empty-timeout") { Description = "close the room this long after the last participant leaves (e.g. 5m)", CustomParser = Durations.Parse };
        var departureTimeout = new Option<TimeSpan?>("--departure-timeout") { Description = "close the room this long after everyone left (e.g. 20s)", CustomParser = Durations.Parse };
        var maxParticipants = new Option<uint?>("--max-participants") { Description = "participant limit (0 = unlimited)" };
        var metadata = new Option<string?>("--metadata") { Description = "room metadata" };
        var agents = new Option<string[]>("--agent") { Description = "dispatch this agent when the room starts (repeatable)", HelpName = "agent-name" };
        var config = new Option<string?>("--request") { Description = "the whole CreateRoomRequest as protobuf-JSON (or @file); other options override it", HelpName = "json" };
        var command = new Command("create", "Create a room (returns the existing room of that name)")
        {
            name, emptyTimeout, departureTimeout, maxParticipants, metadata, agents, config,
        };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var request = parse.GetValue(config) is { } json ? OptionValues.ProtoJson<CreateRoomRequest>(json, "--request") : new CreateRoomRequest();
            request.Name = parse.GetValue(name)!;
            if (parse.GetValue(emptyTimeout) is { } empty)
            {
                request.EmptyTimeout = Seconds(empty);
            }

            if (parse.GetValue(departureTimeout) is { } departure)
            {
                request.DepartureTimeout = Seconds(departure);
            }

            if (parse.GetValue(maxParticipants) is { } max)
            {
                request.MaxParticipants = max;
            }

            if (parse.GetValue(metadata) is { } meta)
            {
                request.Metadata = meta;
            }

            foreach (var agent in parse.GetValue(agents) ?? [])
            {
                request.Agents.Add(new RoomAgentDispatch { AgentName = agent });
            }

            var room = await api.RoomService(parse, context).CreateRoomAsync(request, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(room);
            }
            else
            {
                WriteRoom(context, room);
            }
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var api = new ApiOptions();
        var name = new Argument<string>("name") { Description = "room name" };
        var command = new Command("delete", "Delete a room, disconnecting everyone in it") { name };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var room = parse.GetValue(name)!;
            var response = await api.RoomService(parse, context).DeleteRoomAsync(room, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(response);
            }
            else
            {
                context.WriteLine($"deleted room {room}");
            }
        });
        return command;
    }

    private static Command UpdateMetadata(CliContext context)
    {
        var api = new ApiOptions();
        var name = new Argument<string>("name") { Description = "room name" };
        var metadata = new Argument<string>("metadata") { Description = "the new metadata" };
        var command = new Command("update-metadata", "Replace a room's metadata") { name, metadata };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var room = await api.RoomService(parse, context).UpdateRoomMetadataAsync(parse.GetValue(name)!, parse.GetValue(metadata)!, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(room);
            }
            else
            {
                WriteRoom(context, room);
            }
        });
        return command;
    }

    private static uint Seconds(TimeSpan value) =>
        value < TimeSpan.Zero || value.TotalSeconds > uint.MaxValue
            ? throw new CliException($"duration out of range: {value}")
            : (uint)Math.Round(value.TotalSeconds);
}
