namespace Starling.Transport.Srtp;

/// <summary>
/// One direction of SRTP/SRTCP for a set of SSRCs (RFC 3711; RFC 7714 for AEAD): protects or unprotects
/// packets in place in a caller-provided buffer. Per-SSRC state (rollover counter, replay windows,
/// SRTCP index) is created on the first packet of an SSRC; after that no call allocates.
/// </summary>
/// <remarks>
/// Use one context per direction: the sender's <see cref="ProtectRtp"/>/<see cref="ProtectRtcp"/> and the
/// receiver's <see cref="UnprotectRtp"/>/<see cref="UnprotectRtcp"/> each keep their own ROC and index state.
/// Not thread-safe: one owner (a send loop, a receive loop, or a lock at the call site).
/// Malformed, forged or replayed input yields a non-<see cref="SrtpStatus.Ok"/> status, never an exception.
/// MKIs, key derivation rates other than 0 and encrypted header extensions (RFC 6904) are not supported.
/// </remarks>
internal sealed class SrtpContext : IDisposable
{
    private readonly SrtpCipher _cipher;
    private readonly SrtpOptions _options;
    private readonly Dictionary<uint, SrtpStreamState> _streams = [];
    private bool _disposed;

    internal SrtpContext(SrtpProtectionProfile profile, SrtpSessionKeys keys, SrtpOptions? options = null)
    {
        Profile = profile;
        _cipher = SrtpCipher.Create(profile, keys);
        _options = options ?? SrtpOptions.Default;
    }

    public SrtpProtectionProfile Profile { get; }

    /// <summary>Bytes <see cref="ProtectRtp"/> appends (the tag); the buffer must have this much room after the packet.</summary>
    public int RtpOverhead => _cipher.RtpOverhead;

    /// <summary>Bytes <see cref="ProtectRtcp"/> appends (SRTCP index and tag).</summary>
    public int RtcpOverhead => _cipher.RtcpOverhead;

    /// <summary>Derives session keys (RFC 3711 §4.3, kdr = 0) from a master key and salt and creates a context.</summary>
    public static SrtpContext Create(SrtpProtectionProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpOptions? options = null) =>
        new(profile, SrtpKeyDerivation.Derive(profile, masterKey, masterSalt), options);

    /// <summary>
    /// Protects the RTP packet in <c>buffer[..length]</c> in place: encrypts the payload (the header, CSRCs and
    /// extension stay in clear) and appends the tag. <paramref name="buffer"/> must have <see cref="RtpOverhead"/>
    /// spare bytes after the packet.
    /// </summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (!TryGetPacket(buffer, length, out var packet) || !SrtpPacketLayout.TryGetRtpHeaderLength(packet, out var headerLength))
        {
            return SrtpStatus.Malformed;
        }

        if (buffer.Length - length < _cipher.RtpOverhead)
        {
            return SrtpStatus.BufferTooSmall;
        }

        var ssrc = SrtpPacketLayout.ReadRtpSsrc(packet);
        var sequence = SrtpPacketLayout.ReadRtpSequence(packet);
        var state = GetOrCreate(ssrc);
        if (state is null)
        {
            return SrtpStatus.TooManyStreams;
        }

        if (!state.RtpStarted)
        {
            state.RtpStarted = true;
            state.RolloverCounter = 0;
            state.HighestSequence = sequence;
        }

        // A sender estimates its own index the same way a receiver does, so retransmissions of packets
        // from before the last wrap keep their original ROC.
        var roc = EstimateRolloverCounter(state.RolloverCounter, state.HighestSequence, sequence, out var beforeStart);
        if (beforeStart)
        {
            roc = 0;
        }
        else
        {
            Advance(state, roc, sequence);
        }

        var index = ((ulong)roc << 16) | sequence;
        protectedLength = _cipher.ProtectRtp(buffer, headerLength, length, ssrc, index);
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTP packet in <c>buffer[..length]</c> in place;
    /// <paramref name="plainLength"/> excludes the tag. On failure the buffer contents are unspecified.
    /// </summary>
    public SrtpStatus UnprotectRtp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if (!TryGetPacket(buffer, length, out var packet) || !SrtpPacketLayout.TryGetRtpHeaderLength(packet, out var headerLength))
        {
            return SrtpStatus.Malformed;
        }

        if (length - headerLength < _cipher.RtpOverhead)
        {
            return SrtpStatus.Malformed;
        }

        var ssrc = SrtpPacketLayout.ReadRtpSsrc(packet);
        var sequence = SrtpPacketLayout.ReadRtpSequence(packet);
        _streams.TryGetValue(ssrc, out var state);

        uint roc = 0;
        if (state is { RtpStarted: true })
        {
            roc = EstimateRolloverCounter(state.RolloverCounter, state.HighestSequence, sequence, out var beforeStart);
            if (beforeStart)
            {
                return SrtpStatus.TooOld;
            }
        }

        var index = ((ulong)roc << 16) | sequence;
        if (state is not null)
        {
            var replay = state.RtpReplay.Check(index);
            if (replay != SrtpStatus.Ok)
            {
                return replay;
            }
        }

        if (!_cipher.UnprotectRtp(packet, headerLength, ssrc, index))
        {
            return SrtpStatus.AuthenticationFailed;
        }

        if (state is null)
        {
            state = GetOrCreate(ssrc);
            if (state is null)
            {
                return SrtpStatus.TooManyStreams;
            }
        }

        if (!state.RtpStarted)
        {
            // RFC 3711 §3.3.1: the receiver starts with ROC = 0 and s_l = the first sequence number.
            state.RtpStarted = true;
            state.RolloverCounter = 0;
            state.HighestSequence = sequence;
        }

        Advance(state, roc, sequence);
        state.RtpReplay.Accept(index);
        plainLength = length - _cipher.RtpOverhead;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Protects the (compound) RTCP packet in <c>buffer[..length]</c> in place: encrypts everything after the
    /// first 8 bytes and appends E flag, SRTCP index and tag (<see cref="RtcpOverhead"/> bytes).
    /// </summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (!TryGetPacket(buffer, length, out var packet) || !SrtpPacketLayout.IsRtcpHeader(packet))
        {
            return SrtpStatus.Malformed;
        }

        if (buffer.Length - length < _cipher.RtcpOverhead)
        {
            return SrtpStatus.BufferTooSmall;
        }

        var ssrc = SrtpPacketLayout.ReadRtcpSsrc(packet);
        var state = GetOrCreate(ssrc);
        if (state is null)
        {
            return SrtpStatus.TooManyStreams;
        }

        var index = state.NextSrtcpIndex;
        state.NextSrtcpIndex = (index + 1) & 0x7FFF_FFFFu;
        protectedLength = _cipher.ProtectRtcp(buffer, length, ssrc, index);
        return SrtpStatus.Ok;
    }

    /// <summary>Authenticates, replay-checks and decrypts the SRTCP packet in <c>buffer[..length]</c> in place.</summary>
    public SrtpStatus UnprotectRtcp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if (!TryGetPacket(buffer, length, out var packet)
            || !SrtpPacketLayout.IsRtcpHeader(packet)
            || length < SrtpPacketLayout.RtcpHeaderLength + _cipher.RtcpOverhead)
        {
            return SrtpStatus.Malformed;
        }

        var ssrc = SrtpPacketLayout.ReadRtcpSsrc(packet);
        _cipher.ReadSrtcpTrailer(packet, out var index, out var encrypted);
        _streams.TryGetValue(ssrc, out var state);
        if (state is not null)
        {
            var replay = state.RtcpReplay.Check(index);
            if (replay != SrtpStatus.Ok)
            {
                return replay;
            }
        }

        if (!encrypted && !_cipher.SupportsUnencryptedSrtcp)
        {
            return SrtpStatus.Unsupported;
        }

        if (!_cipher.UnprotectRtcp(packet, ssrc, index, encrypted))
        {
            return SrtpStatus.AuthenticationFailed;
        }

        state ??= GetOrCreate(ssrc);
        if (state is null)
        {
            return SrtpStatus.TooManyStreams;
        }

        state.RtcpReplay.Accept(index);
        plainLength = length - _cipher.RtcpOverhead;
        return SrtpStatus.Ok;
    }

    /// <summary>The rollover counter of an SSRC, once an RTP packet of it was protected or authenticated.</summary>
    public bool TryGetRolloverCounter(uint ssrc, out uint rolloverCounter)
    {
        rolloverCounter = 0;
        if (_streams.TryGetValue(ssrc, out var state) && state.RtpStarted)
        {
            rolloverCounter = state.RolloverCounter;
            return true;
        }

        return false;
    }

    /// <summary>Sets the SRTCP index the next <see cref="ProtectRtcp"/> of <paramref name="ssrc"/> uses (RFC vectors, tests).</summary>
    internal void SetNextSrtcpIndex(uint ssrc, uint index)
    {
        var state = GetOrCreate(ssrc) ?? throw new InvalidOperationException("too many SRTP streams");
        state.NextSrtcpIndex = index & 0x7FFF_FFFFu;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _cipher.Dispose();
        }
    }

    /// <summary>
    /// RFC 3711 Appendix A: the ROC guess v for sequence number <paramref name="sequence"/> given ROC and s_l.
    /// <paramref name="beforeStart"/> is set when the guess would be ROC − 1 while ROC is 0.
    /// </summary>
    internal static uint EstimateRolloverCounter(uint roc, ushort highest, ushort sequence, out bool beforeStart)
    {
        beforeStart = false;
        if (highest < 32768)
        {
            if (sequence - highest > 32768)
            {
                if (roc == 0)
                {
                    beforeStart = true;
                    return 0;
                }

                return roc - 1;
            }

            return roc;
        }

        return highest - 32768 > sequence ? roc + 1 : roc;
    }

    private static void Advance(SrtpStreamState state, uint roc, ushort sequence)
    {
        if (roc > state.RolloverCounter)
        {
            state.RolloverCounter = roc;
            state.HighestSequence = sequence;
        }
        else if (roc == state.RolloverCounter && sequence > state.HighestSequence)
        {
            state.HighestSequence = sequence;
        }
    }

    private static bool TryGetPacket(Span<byte> buffer, int length, out Span<byte> packet)
    {
        if (length < 0 || length > buffer.Length || length > AesCounterMode.MaxLength)
        {
            packet = default;
            return false;
        }

        packet = buffer[..length];
        return true;
    }

    private SrtpStreamState? GetOrCreate(uint ssrc)
    {
        if (_streams.TryGetValue(ssrc, out var state))
        {
            return state;
        }

        if (_streams.Count >= _options.MaxStreams)
        {
            return null;
        }

        state = new SrtpStreamState(ssrc);
        _streams.Add(ssrc, state);
        return state;
    }
}
