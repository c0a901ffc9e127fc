namespace Starling.Transport.Srtp;

/// <summary>Outcome of an <see cref="SrtpContext"/> protect or unprotect call. Only <see cref="Ok"/> means the buffer holds a usable packet.</summary>
internal enum SrtpStatus
{
    /// <summary>The packet was protected or unprotected in place.</summary>
    Ok,

    /// <summary>Too short, wrong RTP version, or a header (CSRC list, extension) that runs past the end.</summary>
    Malformed,

    /// <summary>The buffer has no room for the tag (and SRTCP index) that protection appends.</summary>
    BufferTooSmall,

    /// <summary>The authentication tag did not verify; the buffer contents are unspecified.</summary>
    AuthenticationFailed,

    /// <summary>The packet index was already received (RFC 3711 §3.3.2).</summary>
    Replayed,

    /// <summary>The packet index is older than the replay window (or precedes the first packet of the stream).</summary>
    TooOld,

    /// <summary>A new SSRC would exceed <see cref="SrtpOptions.MaxStreams"/>.</summary>
    TooManyStreams,

    /// <summary>A valid but unsupported form, e.g. unencrypted SRTCP (E = 0) under an AEAD profile.</summary>
    Unsupported,
}
