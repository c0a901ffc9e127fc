using System.CommandLine;
using System.Text;
using Starling.Proto;

namespace Starling.Cli.Commands;

/// <summary><c>starling send-data</c>: sends a data packet to the participants of a room.</summary>
internal static class SendDataCommand
{
    public static Command Create(CliContext context)
    {
        var api = new ApiOptions();
        var room = new Option<string>("--room") { Description = "room name", Required = true };
        var data = new Option<string?>("--data") { Description = "payload as text (UTF-8)" };
        var file = new Option<string?>("--file") { Description = "payload from a file (bytes as is)" };
        var topic = new Option<string?>("--topic") { Description = "topic" };
        var destinations = new Option<string[]>("--destination-identity") { Description = "recipient identity (repeatable; default everyone)" };
        var reliable = new Option<bool>("--reliable") { Description = "send reliably (default)" };
        var lossy = new Option<bool>("--lossy") { Description = "send lossy (unordered, no retransmission)" };
        var command = new Command("send-data", "Send a data packet to participants of a room")
        {
            room, data, file, topic, destinations, reliable, lossy,
        };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var text = parse.GetValue(data);
            var path = parse.GetValue(file);
            if ((text is null) == (path is null))
            {
                throw new CliException("give exactly one of --data and --file");
            }

            if (parse.GetValue(reliable) && parse.GetValue(lossy))
            {
                throw new CliException("--reliable and --lossy are exclusive");
            }

            var payload = text is not null ? Encoding.UTF8.GetBytes(text) : OptionValues.ReadFile(path!);
            var kind = parse.GetValue(lossy) ? DataPacket.Types.Kind.Lossy : DataPacket.Types.Kind.Reliable;
            var roomName = parse.GetValue(room)!;
            var response = await api.RoomService(parse, context)
                .SendDataAsync(roomName, payload, kind, parse.GetValue(destinations), parse.GetValue(topic), ct)
                .ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(response);
            }
            else
            {
                context.WriteLine($"sent {payload.Length} bytes ({kind.ToString().ToLowerInvariant()}) to room {roomName}");
            }
        });
        return command;
    }
}
