using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Starling.Wire.Sdp;

/// <summary>
/// One ICE candidate, the value of <c>a=candidate</c> and of trickle's <c>candidate</c> (RFC 8839 §5.1):
/// <code>
/// candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
///                       connection-address SP port SP "typ" SP cand-type
///                       [SP "raddr" SP connection-address] [SP "rport" SP port]
///                       *(SP extension-att-name SP extension-att-value)
/// foundation = 1*32ice-char   component-id = 1*3DIGIT   priority = 1*10DIGIT
/// cand-type  = "host" / "srflx" / "prflx" / "relay" / token
/// e.g. candidate:3098175849 1 udp 2130706431 10.77.0.1 7882 typ host
///      candidate:1936595596 1 tcp 1518214911 10.77.0.1 7881 typ host tcptype passive
/// </code>
/// The address may be an IP or an FQDN (mDNS <c>….local</c>); <c>tcptype</c> (RFC 6544 §4.5) is lifted out of the
/// extensions, the other extensions (generation, ufrag, network-id, network-cost) are kept in order.
/// </summary>
internal sealed record IceCandidate : ISdpAttributeValue<IceCandidate>
{
    public const string AttributeName = "candidate";

    static string ISdpAttributeValue<IceCandidate>.AttributeName => AttributeName;

    public required string Foundation { get; init; }

    public int Component { get; init; } = 1;

    /// <summary>"udp" or "tcp" as written (compare case-insensitively).</summary>
    public required string Transport { get; init; }

    public required uint Priority { get; init; }

    public required string Address { get; init; }

    public required int Port { get; init; }

    public required IceCandidateType Type { get; init; }

    public string? RelatedAddress { get; init; }

    public int? RelatedPort { get; init; }

    /// <summary>"active", "passive" or "so" for TCP candidates (RFC 6544 §4.5).</summary>
    public string? TcpType { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; init; } = [];

    public bool IsTcp => Transport.Equals("tcp", StringComparison.OrdinalIgnoreCase);

    public bool IsUdp => Transport.Equals("udp", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>candidate:…</c>, <c>a=candidate:…</c> or the bare value; false on anything malformed.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IceCandidate? candidate)
    {
        candidate = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.AsSpan().Trim();
        if (value.StartsWith("a=", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        if (value.StartsWith("candidate:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["candidate:".Length..];
        }

        var parts = value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 8 || !parts[6].Equals("typ", StringComparison.OrdinalIgnoreCase)
            || !IsFoundation(parts[0])
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var component) || component is < 1 or > 256
            || !IsToken(parts[2])
            || !uint.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            || parts[4].Length == 0
            || !TryParsePort(parts[5], out var port)
            || !TryParseType(parts[7], out var type))
        {
            return false;
        }

        string? relatedAddress = null;
        int? relatedPort = null;
        string? tcpType = null;
        var extensions = new List<KeyValuePair<string, string>>();
        for (var i = 8; i < parts.Length; i += 2)
        {
            if (i + 1 >= parts.Length)
            {
                return false;
            }

            var name = parts[i];
            var extensionValue = parts[i + 1];
            switch (name.ToLowerInvariant())
            {
                case "raddr":
                    relatedAddress = extensionValue;
                    break;
                case "rport":
                    if (!TryParsePort(extensionValue, out var rport))
                    {
                        return false;
                    }

                    relatedPort = rport;
                    break;
                case "tcptype":
                    tcpType = extensionValue;
                    break;
                default:
                    extensions.Add(KeyValuePair.Create(name, extensionValue));
                    break;
            }
        }

        candidate = new IceCandidate
        {
            Foundation = parts[0],
            Component = component,
            Transport = parts[2],
            Priority = priority,
            Address = parts[4],
            Port = port,
            Type = type,
            RelatedAddress = relatedAddress,
            RelatedPort = relatedPort,
            TcpType = tcpType,
            Extensions = extensions,
        };
        return true;
    }

    /// <summary>The attribute value: everything after <c>candidate:</c>.</summary>
    public string ToValue()
    {
        var builder = new StringBuilder(96);
        builder.Append(CultureInfo.InvariantCulture, $"{Foundation} {Component} {Transport} {Priority} {Address} {Port} typ {TypeName(Type)}");
        if (RelatedAddress is not null)
        {
            builder.Append(" raddr ").Append(RelatedAddress);
        }

        if (RelatedPort is { } relatedPort)
        {
            builder.Append(" rport ").Append(relatedPort.ToString(CultureInfo.InvariantCulture));
        }

        if (TcpType is not null)
        {
            builder.Append(" tcptype ").Append(TcpType);
        }

        foreach (var (name, value) in Extensions)
        {
            builder.Append(' ').Append(name).Append(' ').Append(value);
        }

        return builder.ToString();
    }

    /// <summary><c>candidate:…</c>, the form trickle's candidateInit carries.</summary>
    public override string ToString() => $"{AttributeName}:{ToValue()}";

    public static string TypeName(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => "host",
        IceCandidateType.ServerReflexive => "srflx",
        IceCandidateType.PeerReflexive => "prflx",
        _ => "relay",
    };

    private static bool TryParseType(string text, out IceCandidateType type)
    {
        switch (text.ToLowerInvariant())
        {
            case "host":
                type = IceCandidateType.Host;
                return true;
            case "srflx":
                type = IceCandidateType.ServerReflexive;
                return true;
            case "prflx":
                type = IceCandidateType.PeerReflexive;
                return true;
            case "relay":
                type = IceCandidateType.Relayed;
                return true;
            default:
                type = default;
                return false;
        }
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;

    private static bool IsFoundation(string text)
    {
        if (text.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsToken(string text)
    {
        foreach (var c in text)
        {
            if (c <= ' ' || c >= 0x7F)
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
