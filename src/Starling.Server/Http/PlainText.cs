using Microsoft.AspNetCore.Http;

namespace Starling.Server.Http;

/// <summary>Plain-text HTTP answers, as livekit-server gives before a WebSocket upgrade (status + a short reason).</summary>
internal static class PlainText
{
    public static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(body).ConfigureAwait(false);
    }
}
