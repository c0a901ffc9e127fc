using System.CommandLine;
using Starling.Sdk;

namespace Starling.Cli.Commands;

/// <summary><c>starling webhook verify</c>: checks a received webhook and prints its event.</summary>
internal static class WebhookCommand
{
    public static Command Create(CliContext context) => new("webhook", "Work with webhooks")
    {
        Verify(context),
    };

    private static Command Verify(CliContext context)
    {
        var api = new ApiOptions(withUrl: false, withJson: false);
        var body = new Argument<string?>("body-file") { Description = "file with the exact request body; standard input when absent or '-'", Arity = ArgumentArity.ZeroOrOne };
        var auth = new Option<string?>("--auth") { Description = "the Authorization header value (a JWT)" };
        var skipAuth = new Option<bool>("--skip-auth") { Description = "only parse the body" };
        var command = new Command("verify", "Verify a webhook request (signature and body hash) and print the event as JSON") { body, auth, skipAuth };
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var path = parse.GetValue(body);
            byte[] bytes;
            if (path is null or "-")
            {
                using var input = context.OpenInput();
                using var buffer = new MemoryStream();
                await input.CopyToAsync(buffer, ct).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }
            else
            {
                bytes = OptionValues.ReadFile(path);
            }

            var skip = parse.GetValue(skipAuth);
            var (key, secret) = skip ? ("unused", "unused") : api.ResolveCredentials(parse, context);
            var evt = new WebhookReceiver(key, secret, context.Time).Receive(bytes, parse.GetValue(auth), skip);
            context.WriteJson(evt);
        });
        return command;
    }
}
