using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=fingerprint:&lt;hash function&gt; &lt;hex pairs separated by colons&gt;</c> (RFC 8122 §5), e.g.
/// <c>sha-256 4A:AD:…</c>: the DTLS certificate digest the handshake must match.
/// </summary>
internal sealed record SdpFingerprint(string HashFunction, string Fingerprint) : ISdpAttributeValue<SdpFingerprint>
{
    public static string AttributeName => "fingerprint";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpFingerprint? result)
    {
        result = null;
        var parts = SdpText.SplitSpaces(value);
        if (parts.Length != 2 || !SdpText.IsToken(parts[0]) || !TryDecode(parts[1], out _))
        {
            return false;
        }

        result = new SdpFingerprint(parts[0], parts[1]);
        return true;
    }

    /// <summary>From a digest: upper-case hex pairs joined by colons, as browsers write them.</summary>
    public static SdpFingerprint FromDigest(string hashFunction, ReadOnlySpan<byte> digest) =>
        new(hashFunction, string.Join(':', digest.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture))));

    /// <summary>The digest bytes.</summary>
    public byte[] GetDigest()
    {
        TryDecode(Fingerprint, out var digest);
        return digest;
    }

    /// <summary>True when <paramref name="digest"/> is this fingerprint (hex case-insensitive, hash names compared by the caller).</summary>
    public bool Matches(ReadOnlySpan<byte> digest) => GetDigest().AsSpan().SequenceEqual(digest);

    public string ToValue() => $"{HashFunction} {Fingerprint}";

    private static bool TryDecode(string text, out byte[] digest)
    {
        digest = [];
        var pairs = text.Split(':');
        if (pairs.Length is 0 or > 64)
        {
            return false;
        }

        var bytes = new byte[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].Length != 2 || !byte.TryParse(pairs[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        digest = bytes;
        return true;
    }
}
