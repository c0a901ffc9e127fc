using System.CommandLine;
using Google.Protobuf;
using Starling.Protocol.Auth;
using Starling.Sdk;

namespace Starling.Cli.Commands;

/// <summary>Runs a command body and turns every expected failure into one line on stderr and exit code 1.</summary>
internal static class CliAction
{
    public static void Set(Command command, CliContext context, Func<ParseResult, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await body(parse, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (Describe(ex, cancellationToken) is { } message)
            {
                await context.Error.WriteLineAsync("error: " + message).ConfigureAwait(false);
                return 1;
            }
        });
    }

    internal static string? Describe(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        CliException => ex.Message,
        TwirpException twirp => $"{twirp.Code}: {twirp.Message}",
        TokenValidationException => "invalid token: " + ex.Message,
        WebhookException => ex.Message,
        HttpRequestException => "cannot reach the server: " + ex.Message,
        OperationCanceledException when cancellationToken.IsCancellationRequested => "cancelled",
        OperationCanceledException => "the request timed out",
        InvalidJsonException or InvalidProtocolBufferException => ex.Message,
        ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException => ex.Message,
        _ => null,
    };
}
