using System.Buffers.Text;
using System.CommandLine;
using System.Text.Json.Nodes;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Sdk;

namespace Starling.Cli.Commands;

/// <summary><c>starling token create|verify</c>: access tokens.</summary>
internal static class TokenCommand
{
    private static readonly string[] Sources = ["camera", "microphone", "screen_share", "screen_share_audio"];
    private static readonly string[] Kinds = ["standard", "ingress", "egress", "sip", "agent", "connector", "bridge"];

    public static Command Create(CliContext context) => new("token", "Create and verify access tokens")
    {
        CreateToken(context),
        VerifyToken(context),
    };

    private static Command CreateToken(CliContext context)
    {
        var api = new ApiOptions(withUrl: false);
        var room = new Option<string?>("--room") { Description = "room to join or administer" };
        var identity = new Option<string?>("--identity") { Description = "participant identity (required with --join)" };
        var name = new Option<string?>("--name") { Description = "participant display name" };
        var metadata = new Option<string?>("--metadata") { Description = "participant metadata" };
        var attributes = new Option<string[]>("--attribute") { Description = "participant attribute key=value (repeatable)", HelpName = "key=value" };
        var validFor = new Option<TimeSpan?>("--valid-for") { Description = "token lifetime, e.g. 6h, 30m, 90s (default 6h)", CustomParser = Durations.Parse };
        var join = new Option<bool>("--join") { Description = "grant roomJoin (needs --room and --identity)" };
        var admin = new Option<bool>("--admin") { Description = "grant roomAdmin (needs --room)" };
        var list = new Option<bool>("--list") { Description = "grant roomList" };
        var create = new Option<bool>("--create") { Description = "grant roomCreate" };
        var canPublish = new Option<bool?>("--can-publish") { Description = "may publish tracks", HelpName = "true|false" };
        var canPublishData = new Option<bool?>("--can-publish-data") { Description = "may send data", HelpName = "true|false" };
        var canSubscribe = new Option<bool?>("--can-subscribe") { Description = "may subscribe", HelpName = "true|false" };
        var sources = new Option<string?>("--can-publish-sources") { Description = "sources allowed to publish: " + string.Join(',', Sources), HelpName = "list" };
        var canUpdateMetadata = new Option<bool?>("--can-update-metadata") { Description = "may update its own name, metadata and attributes", HelpName = "true|false" };
        var hidden = new Option<bool>("--hidden") { Description = "hidden from other participants" };
        var agent = new Option<bool>("--agent") { Description = "grant agent (agent workers)" };
        var kind = new Option<string?>("--kind") { Description = "participant kind: " + string.Join(", ", Kinds) };
        kind.AcceptOnlyFromAmong(Kinds);
        var roomConfig = new Option<string?>("--room-config") { Description = "room configuration as protobuf-JSON RoomConfiguration (or @file)", HelpName = "json" };

        var command = new Command("create", "Create an access token")
        {
            room, identity, name, metadata, attributes, validFor, join, admin, list, create, canPublish, canPublishData,
            canSubscribe, sources, canUpdateMetadata, hidden, agent, kind, roomConfig,
        };
        api.AddTo(command);
        CliAction.Set(command, context, (parse, _) =>
        {
            var ttl = parse.GetValue(validFor) ?? AccessToken.DefaultTtl;
            if (ttl <= TimeSpan.Zero)
            {
                throw new CliException("--valid-for must be positive");
            }

            var roomName = parse.GetValue(room);
            var wantsJoin = parse.GetValue(join);
            var wantsAdmin = parse.GetValue(admin);
            if ((wantsJoin || wantsAdmin) && string.IsNullOrEmpty(roomName))
            {
                throw new CliException("--room is required with --join and --admin");
            }

            if (!wantsJoin && !wantsAdmin && !parse.GetValue(list) && !parse.GetValue(create) && !parse.GetValue(agent))
            {
                throw new CliException("no permission given: use --join, --admin, --list, --create or --agent");
            }

            var grant = new VideoGrant
            {
                Room = string.IsNullOrEmpty(roomName) ? null : roomName,
                RoomJoin = True(wantsJoin),
                RoomAdmin = True(wantsAdmin),
                RoomList = True(parse.GetValue(list)),
                RoomCreate = True(parse.GetValue(create)),
                CanPublish = parse.GetValue(canPublish),
                CanPublishData = parse.GetValue(canPublishData),
                CanSubscribe = parse.GetValue(canSubscribe),
                CanPublishSources = ParseSources(parse.GetValue(sources)),
                CanUpdateOwnMetadata = parse.GetValue(canUpdateMetadata),
                Hidden = True(parse.GetValue(hidden)),
                Agent = True(parse.GetValue(agent)),
            };

            var (key, secret) = api.ResolveCredentials(parse, context);
            var token = new AccessToken(key, secret, context.Time)
            {
                Identity = parse.GetValue(identity),
                Name = parse.GetValue(name),
                Metadata = parse.GetValue(metadata),
                Ttl = ttl,
                VideoGrant = grant,
            };
            token.WithAttributes(OptionValues.KeyValues(parse.GetValue(attributes), "--attribute"));
            if (parse.GetValue(kind) is { } kindName)
            {
                token.Kind = KindFromName(kindName);
            }

            if (parse.GetValue(roomConfig) is { } configJson)
            {
                token.RoomConfig = OptionValues.ProtoJson<RoomConfiguration>(configJson, "--room-config");
            }

            var jwt = token.ToJwt();
            if (api.WantsJson(parse))
            {
                context.WriteJson(new JsonObject { ["token"] = jwt, ["claims"] = Payload(jwt) });
            }
            else
            {
                context.WriteLine(jwt);
            }

            return Task.CompletedTask;
        });
        return command;
    }

    private static Command VerifyToken(CliContext context)
    {
        var api = new ApiOptions(withUrl: false, withJson: false);
        var token = new Argument<string>("token") { Description = "the JWT to verify" };
        var command = new Command("verify", "Verify an access token and print its claims") { token };
        api.AddTo(command);
        CliAction.Set(command, context, (parse, _) =>
        {
            var (key, secret) = api.ResolveCredentials(parse, context);
            var jwt = parse.GetValue(token)!.Trim();
            new TokenVerifier(key, secret, context.Time).Verify(jwt);
            context.WriteJson(Payload(jwt));
            return Task.CompletedTask;
        });
        return command;
    }

    /// <summary>The JWT payload exactly as signed.</summary>
    internal static JsonNode Payload(string jwt) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])) ?? new JsonObject();

    private static bool? True(bool value) => value ? true : null;

    private static string[]? ParseSources(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var sources = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var unknown = sources.FirstOrDefault(s => !Sources.Contains(s));
        if (unknown is not null)
        {
            throw new CliException($"invalid --can-publish-sources value '{unknown}': use {string.Join(", ", Sources)}");
        }

        return sources;
    }

    private static ParticipantInfo.Types.Kind KindFromName(string name)
    {
        var descriptor = ParticipantInfo.Descriptor.EnumTypes.First(e => e.Name == "Kind");
        var value = descriptor.Values.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException($"invalid --kind '{name}'");
        return (ParticipantInfo.Types.Kind)value.Number;
    }
}
