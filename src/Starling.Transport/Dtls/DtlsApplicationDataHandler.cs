namespace Starling.Transport.Dtls;

/// <summary>Receives one decrypted DTLS application data record; <paramref name="data"/> is only valid during the call.</summary>
internal delegate void DtlsApplicationDataHandler(ReadOnlySpan<byte> data);
