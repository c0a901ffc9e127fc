using System.CommandLine;
using System.Globalization;
using Starling.Proto;

namespace Starling.Cli.Commands;

/// <summary><c>starling participant list|get|remove|update|mute</c>.</summary>
internal static class ParticipantCommand
{
    public static Command Create(CliContext context) => new("participant", "Manage the participants of a room")
    {
        List(context),
        Get(context),
        Remove(context),
        Update(context),
        Mute(context),
    };

    private static Option<string> Room() => new("--room") { Description = "room name", Required = true };

    private static Option<string> Identity() => new("--identity") { Description = "participant identity", Required = true };

    private static Command List(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var command = new Command("list", "List the participants of a room") { room };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var response = await api.RoomService(parse, context)
                .ListParticipantsAsync(new ListParticipantsRequest { Room = parse.GetValue(room)! }, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(response);
                return;
            }

            if (response.Participants.Count == 0)
            {
                context.WriteLine("no participants");
                return;
            }

            var table = CliOutput.NewTable("Identity", "SID", "Name", "State", "Kind", "Tracks", "Joined", "Metadata");
            foreach (var p in response.Participants)
            {
                table.AddTextRow(p.Identity, p.Sid, p.Name, p.State.ToString(), p.Kind.ToString(),
                    p.Tracks.Count.ToString(CultureInfo.InvariantCulture), CliOutput.UnixTime(p.JoinedAt), p.Metadata);
            }

            context.Write(table);
        });
        return command;
    }

    private static Command Get(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var identity = Identity();
        var command = new Command("get", "Show one participant and its tracks") { room, identity };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var participant = await api.RoomService(parse, context)
                .GetParticipantAsync(parse.GetValue(room)!, parse.GetValue(identity)!, ct).ConfigureAwait(false);
            Write(context, api.WantsJson(parse), participant);
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var identity = Identity();
        var command = new Command("remove", "Disconnect a participant from a room") { room, identity };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var response = await api.RoomService(parse, context)
                .RemoveParticipantAsync(parse.GetValue(room)!, parse.GetValue(identity)!, ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(response);
            }
            else
            {
                context.WriteLine($"removed {parse.GetValue(identity)} from {parse.GetValue(room)}");
            }
        });
        return command;
    }

    private static Command Update(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var identity = Identity();
        var metadata = new Option<string?>("--metadata") { Description = "new metadata" };
        var name = new Option<string?>("--name") { Description = "new display name" };
        var attributes = new Option<string[]>("--attribute") { Description = "set attribute key=value; an empty value deletes it (repeatable)", HelpName = "key=value" };
        var permission = new Option<string?>("--permission") { Description = "new permission as protobuf-JSON ParticipantPermission (replaces the whole permission), e.g. '{\"canPublish\":true,\"canSubscribe\":true}'", HelpName = "json" };
        var command = new Command("update", "Update a participant's metadata, name, attributes or permission")
        {
            room, identity, metadata, name, attributes, permission,
        };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var request = new UpdateParticipantRequest
            {
                Room = parse.GetValue(room)!,
                Identity = parse.GetValue(identity)!,
                Metadata = parse.GetValue(metadata) ?? string.Empty,
                Name = parse.GetValue(name) ?? string.Empty,
            };
            request.Attributes.Add(OptionValues.KeyValues(parse.GetValue(attributes), "--attribute"));
            if (parse.GetValue(permission) is { } json)
            {
                request.Permission = OptionValues.ProtoJson<ParticipantPermission>(json, "--permission");
            }

            if (parse.GetValue(metadata) is null && parse.GetValue(name) is null && request.Attributes.Count == 0 && request.Permission is null)
            {
                throw new CliException("nothing to update: give --metadata, --name, --attribute or --permission");
            }

            var participant = await api.RoomService(parse, context).UpdateParticipantAsync(request, ct).ConfigureAwait(false);
            Write(context, api.WantsJson(parse), participant);
        });
        return command;
    }

    private static Command Mute(CliContext context)
    {
        var api = new ApiOptions();
        var room = Room();
        var identity = Identity();
        var track = new Option<string>("--track") { Description = "track SID (TR_...)", Required = true };
        var unmute = new Option<bool>("--unmute") { Description = "unmute instead (the server may refuse)" };
        var command = new Command("mute", "Mute or unmute a published track") { room, identity, track, unmute };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var response = await api.RoomService(parse, context).MutePublishedTrackAsync(
                new MuteRoomTrackRequest
                {
                    Room = parse.GetValue(room)!,
                    Identity = parse.GetValue(identity)!,
                    TrackSid = parse.GetValue(track)!,
                    Muted = !parse.GetValue(unmute),
                },
                ct).ConfigureAwait(false);
            if (api.WantsJson(parse))
            {
                context.WriteJson(response);
            }
            else
            {
                var t = response.Track;
                context.WriteLine($"track {(string.IsNullOrEmpty(t?.Sid) ? parse.GetValue(track) : t.Sid)} is {(t?.Muted ?? !parse.GetValue(unmute) ? "muted" : "unmuted")}");
            }
        });
        return command;
    }

    private static void Write(CliContext context, bool json, ParticipantInfo p)
    {
        if (json)
        {
            context.WriteJson(p);
            return;
        }

        context.Write(CliOutput.KeyValues(
        [
            ("Identity", p.Identity),
            ("SID", p.Sid),
            ("Name", p.Name),
            ("State", p.State.ToString()),
            ("Kind", p.Kind.ToString()),
            ("Joined", CliOutput.UnixTime(p.JoinedAt)),
            ("Metadata", p.Metadata),
            ("Attributes", string.Join(", ", p.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"))),
            ("Permission", p.Permission is null ? string.Empty : Permission(p.Permission)),
        ]));
        if (p.Tracks.Count > 0)
        {
            var table = CliOutput.NewTable("Track SID", "Type", "Source", "Name", "Muted", "MIME");
            foreach (var t in p.Tracks)
            {
                table.AddTextRow(t.Sid, t.Type.ToString(), t.Source.ToString(), t.Name, t.Muted ? "yes" : "no", t.MimeType);
            }

            context.Write(table);
        }
    }

    private static string Permission(ParticipantPermission p)
    {
        var flags = new List<string>();
        if (p.CanPublish)
        {
            flags.Add("publish");
        }

        if (p.CanSubscribe)
        {
            flags.Add("subscribe");
        }

        if (p.CanPublishData)
        {
            flags.Add("data");
        }

        if (p.CanUpdateMetadata)
        {
            flags.Add("update-metadata");
        }

        if (p.Hidden)
        {
            flags.Add("hidden");
        }

        return string.Join(", ", flags);
    }
}
