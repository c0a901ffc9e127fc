using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Starling.Transport.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (<c>a=fingerprint:sha-256 AB:CD:...</c>, RFC 8122 §5):
/// a hash function name and the hash of the DER-encoded certificate.
/// </summary>
internal sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    private readonly byte[] _value;

    private DtlsFingerprint(string algorithm, byte[] value)
    {
        Algorithm = algorithm;
        _value = value;
    }

    /// <summary>Lower-case hash function name as SDP spells it: sha-1, sha-256, sha-384 or sha-512.</summary>
    public string Algorithm { get; }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Upper-case hex with colons, e.g. <c>AB:CD:EF</c>.</summary>
    public string HexValue
    {
        get
        {
            var builder = new StringBuilder(_value.Length * 3);
            for (var i = 0; i < _value.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(':');
                }

                builder.Append(_value[i].ToString("X2", CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }
    }

    /// <summary>True for the hash functions fingerprints can use here.</summary>
    public static bool IsSupportedAlgorithm(string? algorithm) => HashLength(algorithm) > 0;

    /// <summary>Hashes <paramref name="certificateDer"/> with <paramref name="algorithm"/> (e.g. <c>sha-256</c>).</summary>
    public static DtlsFingerprint Compute(string algorithm, ReadOnlySpan<byte> certificateDer)
    {
        var name = Normalize(algorithm);
        var value = name switch
        {
            "sha-1" => SHA1.HashData(certificateDer),
            "sha-256" => SHA256.HashData(certificateDer),
            "sha-384" => SHA384.HashData(certificateDer),
            "sha-512" => SHA512.HashData(certificateDer),
            _ => throw new ArgumentException($"unsupported fingerprint hash function '{algorithm}'", nameof(algorithm)),
        };
        return new DtlsFingerprint(name, value);
    }

    /// <summary>Parses the SDP attribute value <c>sha-256 AB:CD:...</c> (case-insensitive).</summary>
    public static bool TryParse(string? sdpValue, out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (string.IsNullOrWhiteSpace(sdpValue))
        {
            return false;
        }

        var parts = sdpValue.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2 && TryCreate(parts[0], parts[1], out fingerprint);
    }

    /// <summary>Parses the SDP attribute value; throws <see cref="FormatException"/> when it is not a supported fingerprint.</summary>
    public static DtlsFingerprint Parse(string sdpValue) =>
        TryParse(sdpValue, out var fingerprint)
            ? fingerprint!
            : throw new FormatException($"'{sdpValue}' is not a supported certificate fingerprint (expected e.g. 'sha-256 AB:CD:...')");

    /// <summary>Builds a fingerprint from a hash function name and colon-separated hex.</summary>
    public static bool TryCreate(string? algorithm, string? hex, out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        var length = HashLength(algorithm);
        if (length == 0 || hex is null || hex.Length != (length * 3) - 1)
        {
            return false;
        }

        var value = new byte[length];
        for (var i = 0; i < length; i++)
        {
            if (i > 0 && hex[(i * 3) - 1] != ':')
            {
                return false;
            }

            if (!byte.TryParse(hex.AsSpan(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value[i]))
            {
                return false;
            }
        }

        fingerprint = new DtlsFingerprint(Normalize(algorithm!), value);
        return true;
    }

    /// <summary>True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time comparison).</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        CryptographicOperations.FixedTimeEquals(Compute(Algorithm, certificateDer)._value, _value);

    /// <summary>The SDP attribute value: <c>sha-256 AB:CD:...</c>.</summary>
    public override string ToString() => $"{Algorithm} {HexValue}";

    public bool Equals(DtlsFingerprint? other) =>
        other is not null && other.Algorithm == Algorithm && other._value.AsSpan().SequenceEqual(_value);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Algorithm);
        hash.AddBytes(_value);
        return hash.ToHashCode();
    }

    private static string Normalize(string algorithm) => algorithm.Trim().ToLowerInvariant();

    private static int HashLength(string? algorithm) => algorithm is null ? 0 : Normalize(algorithm) switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => 0,
    };
}
