using System.CommandLine;
using Starling.Proto;

namespace Starling.Cli.Commands;

/// <summary><c>starling dispatch create|list|delete</c>: explicit agent dispatch.</summary>
internal static class DispatchCommand
{
    public static Command Create(CliContext context) => new("dispatch", "Dispatch agents to rooms")
    {
        CreateDispatch(context),
        List(context),
        Delete(context),
    };

    private static Option<string> Room() => new("--room") { Description = "room name", Required = true };

    private static Command CreateDispatch(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var agentName = new Option<string>("--agent-name") { Description = "the agent name workers registered with", Required = true };
        var metadata = new Option<string?>("--metadata") { Description = "job metadata passed to the agent" };
        var command = new Command("create", "Dispatch an agent to a room") { room, agentName, metadata };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var dispatch = await api.AgentDispatch(parse, context)
                .CreateDispatchAsync(parse.GetValue(room)!, parse.GetValue(agentName)!, parse.GetValue(metadata), ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(dispatch);
            }
            else
            {
                WriteTable(context, [dispatch]);
            }
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var command = new Command("list", "List the agent dispatches of a room") { room };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var response = await api.AgentDispatch(parse, context)
                .ListDispatchAsync(new ListAgentDispatchRequest { Room = parse.GetValue(room)! }, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(response);
            }
            else if (response.AgentDispatches.Count == 0)
            {
                context.WriteLine("no dispatches");
            }
            else
            {
                WriteTable(context, response.AgentDispatches);
            }
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var id = new Option<string>("--id") { Description = "dispatch id (AD_...)", Required = true };
        var command = new Command("delete", "Delete an agent dispatch") { room, id };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var dispatch = await api.AgentDispatch(parse, context)
                .DeleteDispatchAsync(parse.GetValue(id)!, parse.GetValue(room)!, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(dispatch);
            }
            else
            {
                context.WriteLine($"deleted dispatch {parse.GetValue(id)}");
            }
        });
        return command;
    }

    private static void WriteTable(CliContext context, IEnumerable<AgentDispatch> dispatches)
    {
        var table = CliOutput.NewTable("ID", "Agent", "Room", "Jobs", "Created", "Metadata");
        foreach (var d in dispatches)
        {
            table.AddTextRow(d.Id, d.AgentName, d.Room, (d.State?.Jobs.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                CliOutput.UnixTime(CreatedSeconds(d.State?.CreatedAt ?? 0)), d.Metadata);
        }

        context.Write(table);
    }

    // created_at is unix nanoseconds in livekit-server (time.Now().UnixNano()); tolerate seconds and milliseconds too.
    private static long CreatedSeconds(long value) => value switch
    {
        > 100_000_000_000_000_000 => value / 1_000_000_000,
        > 100_000_000_000_000 => value / 1_000_000,
        > 100_000_000_000 => value / 1_000,
        _ => value,
    };
}
