namespace Starling.Server.Twirp;

/// <summary>An error to answer as Twirp error JSON.</summary>
internal sealed class TwirpException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
