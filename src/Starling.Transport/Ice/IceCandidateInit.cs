using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Starling.Wire.Sdp;

namespace Starling.Transport.Ice;

/// <summary>
/// The JSON of an <c>RTCIceCandidateInit</c> carried in LiveKit's <c>TrickleRequest.candidateInit</c>
/// (reference §3.8): camelCase keys <c>candidate</c>, <c>sdpMid</c> (string), <c>sdpMLineIndex</c> (int) and,
/// from browsers, <c>usernameFragment</c>. The Rust SDK unwraps <c>sdpMid</c> and <c>sdpMLineIndex</c>, so
/// <see cref="ToJson"/> always writes both. An empty <c>candidate</c> means end-of-candidates.
/// </summary>
internal sealed record IceCandidateInit(string Candidate, string SdpMid, int SdpMLineIndex, string? UsernameFragment = null)
{
    private const int MaxJsonLength = 4096;

    public bool IsEndOfCandidates => Candidate.Length == 0;

    /// <summary>Parses the JSON; false (with a reason) on malformed JSON or a missing or mistyped <c>candidate</c>.</summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out IceCandidateInit? init, [NotNullWhen(false)] out string? error)
    {
        init = null;
        if (string.IsNullOrEmpty(json) || json.Length > MaxJsonLength)
        {
            error = "candidateInit is empty or too long";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("candidate", out var candidate) || candidate.ValueKind != JsonValueKind.String)
            {
                error = "candidateInit has no string 'candidate'";
                return false;
            }

            var mid = root.TryGetProperty("sdpMid", out var midElement) && midElement.ValueKind == JsonValueKind.String
                ? midElement.GetString()!
                : string.Empty;
            var index = root.TryGetProperty("sdpMLineIndex", out var indexElement) && indexElement.ValueKind == JsonValueKind.Number
                && indexElement.TryGetInt32(out var parsedIndex) && parsedIndex >= 0
                ? parsedIndex
                : 0;
            var ufrag = root.TryGetProperty("usernameFragment", out var ufragElement) && ufragElement.ValueKind == JsonValueKind.String
                ? ufragElement.GetString()
                : null;
            init = new IceCandidateInit(candidate.GetString()!, mid, index, ufrag);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"candidateInit is not valid JSON: {e.Message}";
            return false;
        }
    }

    public static IceCandidateInit From(IceCandidate candidate, string sdpMid, int sdpMLineIndex, string? usernameFragment = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return new IceCandidateInit(candidate.ToString(), sdpMid, sdpMLineIndex, usernameFragment);
    }

    /// <summary>The candidate itself; false for end-of-candidates or a malformed candidate line.</summary>
    public bool TryGetCandidate([NotNullWhen(true)] out IceCandidate? candidate) => IceCandidate.TryParse(Candidate, out candidate);

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("candidate", Candidate);
            writer.WriteString("sdpMid", SdpMid);
            writer.WriteNumber("sdpMLineIndex", SdpMLineIndex);
            if (UsernameFragment is not null)
            {
                writer.WriteString("usernameFragment", UsernameFragment);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
