namespace Starling.Transport.Srtp;

/// <summary>
/// The master keys and salts a DTLS-SRTP handshake exports for both directions (RFC 5764 §4.2). The
/// exporter output (label <c>EXTRACTOR-dtls_srtp</c>, no context) is laid out as
/// <c>client_write_key | server_write_key | client_write_salt | server_write_salt</c>.
/// </summary>
internal sealed class SrtpKeyingMaterial
{
    /// <summary>The exporter label RFC 5764 §4.2 assigns to DTLS-SRTP.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    private SrtpKeyingMaterial(SrtpProtectionProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt)
    {
        Profile = profile;
        ClientWriteKey = clientKey;
        ClientWriteSalt = clientSalt;
        ServerWriteKey = serverKey;
        ServerWriteSalt = serverSalt;
    }

    public SrtpProtectionProfile Profile { get; }

    public ReadOnlyMemory<byte> ClientWriteKey { get; }

    public ReadOnlyMemory<byte> ClientWriteSalt { get; }

    public ReadOnlyMemory<byte> ServerWriteKey { get; }

    public ReadOnlyMemory<byte> ServerWriteSalt { get; }

    /// <summary>Exporter output length for <paramref name="profile"/>: 2 × (key + salt).</summary>
    public static int GetExportLength(SrtpProtectionProfile profile) => 2 * (profile.KeyLength() + profile.SaltLength());

    /// <summary>Splits exporter output per RFC 5764 §4.2.</summary>
    public static SrtpKeyingMaterial FromExporterOutput(SrtpProtectionProfile profile, ReadOnlySpan<byte> exported)
    {
        if (!profile.IsSupported())
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP protection profile");
        }

        if (exported.Length != GetExportLength(profile))
        {
            throw new ArgumentException($"{profile} needs {GetExportLength(profile)} bytes of keying material", nameof(exported));
        }

        var key = profile.KeyLength();
        var salt = profile.SaltLength();
        return new SrtpKeyingMaterial(
            profile,
            exported[..key].ToArray(),
            exported.Slice(2 * key, salt).ToArray(),
            exported.Slice(key, key).ToArray(),
            exported.Slice((2 * key) + salt, salt).ToArray());
    }

    /// <summary>Context for packets the DTLS client writes: the client protects with it, the server unprotects.</summary>
    public SrtpContext CreateClientWriteContext(SrtpOptions? options = null) =>
        SrtpContext.Create(Profile, ClientWriteKey.Span, ClientWriteSalt.Span, options);

    /// <summary>Context for packets the DTLS server writes: the server protects with it, the client unprotects.</summary>
    public SrtpContext CreateServerWriteContext(SrtpOptions? options = null) =>
        SrtpContext.Create(Profile, ServerWriteKey.Span, ServerWriteSalt.Span, options);
}
