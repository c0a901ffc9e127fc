using System.Net;
using System.Text.Json;
using Starling.Protocol.Twirp;

namespace Starling.Sdk;

/// <summary>
/// A server API call failed. Twirp errors carry a <see cref="Code"/> (see <see cref="TwirpErrorCode"/>), a message
/// and optional metadata; responses that are not Twirp errors (a proxy, or livekit-server's plain-text 401 for a
/// rejected token) get a code derived from the HTTP status, as Twirp clients do.
/// </summary>
public sealed class TwirpException : Exception
{
    private static readonly IReadOnlyDictionary<string, string> NoMeta = new Dictionary<string, string>();

    /// <summary>Creates the exception.</summary>
    /// <param name="code">The Twirp error code, e.g. <c>not_found</c>.</param>
    /// <param name="message">The server's message.</param>
    /// <param name="httpStatus">The HTTP status of the response.</param>
    /// <param name="meta">The error metadata; empty when null.</param>
    public TwirpException(string code, string message, int httpStatus, IReadOnlyDictionary<string, string>? meta = null)
        : base(message)
    {
        Code = code;
        HttpStatus = httpStatus;
        Meta = meta ?? NoMeta;
    }

    /// <summary>The Twirp error code (<c>not_found</c>, <c>unauthenticated</c>, ...; see <see cref="TwirpErrorCode"/>).</summary>
    public string Code { get; }

    /// <summary>The HTTP status code of the response.</summary>
    public int HttpStatus { get; }

    /// <summary>The error metadata (<c>meta</c>), empty when the server sent none.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; }

    /// <summary>Reads a Twirp error from a failed response body, whatever its content type.</summary>
    internal static TwirpException FromResponse(HttpStatusCode status, byte[] body)
    {
        var httpStatus = (int)status;
        if (TryParseTwirpError(body, out var code, out var msg, out var meta))
        {
            return new TwirpException(code, msg, httpStatus, meta);
        }

        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        if (text.Length > 500)
        {
            text = text[..500] + "...";
        }

        if (text.Length == 0)
        {
            text = $"HTTP {httpStatus} {status}";
        }

        return new TwirpException(CodeFromStatus(httpStatus), text, httpStatus);
    }

    internal static string CodeFromStatus(int status) => TwirpErrorCode.FromIntermediaryStatus(status);

    private static bool TryParseTwirpError(byte[] body, out string code, out string msg, out IReadOnlyDictionary<string, string>? meta)
    {
        code = string.Empty;
        msg = string.Empty;
        meta = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("code", out var c) || c.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(c.GetString()))
            {
                return false;
            }

            code = c.GetString()!;
            msg = root.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
            if (root.TryGetProperty("meta", out var metaElement) && metaElement.ValueKind == JsonValueKind.Object)
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in metaElement.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString() ?? string.Empty
                        : property.Value.GetRawText();
                }

                meta = values;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
