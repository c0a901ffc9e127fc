using System.Security.Cryptography;

namespace Starling.Protocol.Ids;

/// <summary>
/// Makes LiveKit-style ids: a type prefix (<c>RM_</c>, <c>PA_</c>, <c>TR_</c>, <c>EV_</c>, <c>AD_</c>, <c>AJ_</c>,
/// <c>AW_</c>) and 12 random base62 characters. Clients parse the prefixes, so they are part of the contract.
/// </summary>
public static class SidGenerator
{
    /// <summary>Room id prefix.</summary>
    public const string Room = "RM_";

    /// <summary>Participant id prefix.</summary>
    public const string Participant = "PA_";

    /// <summary>Track id prefix.</summary>
    public const string Track = "TR_";

    /// <summary>Webhook event id prefix.</summary>
    public const string WebhookEvent = "EV_";

    /// <summary>Agent dispatch id prefix.</summary>
    public const string AgentDispatch = "AD_";

    /// <summary>Agent job id prefix.</summary>
    public const string AgentJob = "AJ_";

    /// <summary>Agent worker id prefix.</summary>
    public const string AgentWorker = "AW_";

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new id with <paramref name="prefix"/> and 12 random characters.</summary>
    public static string New(string prefix)
    {
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return string.Concat(prefix, chars);
    }
}
