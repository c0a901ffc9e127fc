using Starling.Transport.Net;
using Starling.Wire;
using Starling.Wire.Sdp;
using Starling.Wire.Stun;

namespace Starling.Transport.Ice;

/// <summary>
/// The ICE side of one session: an ICE-lite agent (RFC 8445 §2.5), always controlled, that answers connectivity
/// checks and never sends any. It
/// <list type="bullet">
/// <item>answers Binding requests whose USERNAME is <c>localUfrag:remoteUfrag</c> and whose MESSAGE-INTEGRITY verifies
/// with the local password with a success response (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT); otherwise
/// 400 (no USERNAME or MESSAGE-INTEGRITY), 401 (unknown ufrag, bad integrity), 420 (unknown comprehension-required
/// attributes), 487 (the peer claims to be controlled too) — RFC 8489 §6.3.1, §9.1.3; RFC 8445 §7.3.1.1;</item>
/// <item>keeps every path a valid check arrived on as a pair and selects a nominated one (USE-CANDIDATE, RFC 8445
/// §8.2): the highest-priority nominated pair, or the latest nominated once the selected one has gone quiet for
/// <see cref="IceOptions.RoamingTimeout"/> (the client roamed);</item>
/// <item>tracks consent freshness (RFC 7675) from valid checks on the selected pair: Connected → Disconnected →
/// Failed, and stops sending when Failed;</item>
/// <item>supports ICE restart: new remote credentials and fresh local ones, the previous generation still accepted
/// until the first valid check with the new one.</item>
/// </list>
/// Non-STUN datagrams from valid pairs go to <see cref="DatagramReceived"/>; <see cref="Send"/> goes to the selected
/// pair (before the first nomination: the valid pair heard from last), so the DTLS layer above keeps one
/// <see cref="IDatagramSender"/> while the path changes underneath.
/// Thread-safe: muxes, timers and the control plane may call in concurrently; state changes take a short lock,
/// the data path none. Events run on the thread that caused them (a receive loop or a timer), after the lock is released.
/// </summary>
internal sealed class IceAgent : IDatagramSender, IDisposable
{
    private const int ResponseBufferSize = 512;
    private const int MaxReportedUnknownAttributes = 8;
    private const int MaxRemoteCandidates = 64;

    private readonly Lock _gate = new();
    private readonly IceOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _consentTimer;
    private volatile Generation _current;
    private volatile Generation? _previous;
    private volatile IceCandidatePair[] _pairs = [];
    private volatile IceCandidatePair? _selected;
    private volatile IceConnectionState _state;
    private IReadOnlyList<IceCandidate> _remoteCandidates = [];
    private bool _consentTimerArmed;
    private long _sendDropped;

    public IceAgent(IceOptions options, TimeProvider timeProvider, IceCredentials? localCredentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _time = timeProvider;
        _current = new Generation(localCredentials ?? IceCredentials.Generate(), null);
        _consentTimer = timeProvider.CreateTimer(static state => ((IceAgent)state!).OnConsentTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The connection state changed (raised after the change, outside the agent's lock).</summary>
    public event Action<IceAgent, IceConnectionState>? StateChanged;

    /// <summary>Another pair became the selected one (first nomination, a better nomination, or roaming).</summary>
    public event Action<IceAgent, IceCandidatePair>? SelectedPairChanged;

    /// <summary>A ufrag now routes to this agent (first argument) or no longer does (second); <see cref="IceAgentRegistry"/> listens.</summary>
    internal event Action<IceAgent, string?, string?>? UfragsChanged;

    /// <summary>Receives DTLS, SRTP and SRTCP datagrams from valid pairs; set by the layer above before traffic flows.</summary>
    public IceDatagramHandler? DatagramReceived { get; set; }

    /// <summary>Our ufrag and password for the current ICE generation (goes into the answer).</summary>
    public IceCredentials LocalCredentials => _current.Local;

    /// <summary>The client's ufrag and password from its offer, once known.</summary>
    public IceCredentials? RemoteCredentials => _current.Remote;

    public IceConnectionState State => _state;

    public IceCandidatePair? SelectedPair => _selected;

    public IReadOnlyList<IceCandidatePair> Pairs => _pairs;

    /// <summary>
    /// Candidates the client trickled or put in its offer (at most 64). A lite agent never checks them — the client's
    /// checks create the pairs — so they are kept for logs and diagnostics only.
    /// </summary>
    public IReadOnlyList<IceCandidate> RemoteCandidates => Volatile.Read(ref _remoteCandidates);

    /// <summary>Datagrams <see cref="Send"/> dropped because no pair was selected or consent was lost.</summary>
    public long SendDropped => Interlocked.Read(ref _sendDropped);

    /// <summary>Every ufrag that currently routes to this agent: the current one and, during a restart, the previous.</summary>
    internal IEnumerable<string> RoutableUfrags
    {
        get
        {
            yield return _current.Local.Ufrag;
            if (_previous is { } previous)
            {
                yield return previous.Local.Ufrag;
            }
        }
    }

    /// <summary>Sets the client's credentials from its first offer. Checks that arrive earlier are still answered.</summary>
    public void SetRemoteCredentials(IceCredentials remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        lock (_gate)
        {
            _current = _current with { Remote = remote };
        }
    }

    /// <summary>Records a remote candidate; false when the agent already holds the maximum or is closed.</summary>
    public bool AddRemoteCandidate(IceCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        lock (_gate)
        {
            if (_state == IceConnectionState.Closed || _remoteCandidates.Count >= MaxRemoteCandidates)
            {
                return false;
            }

            Volatile.Write(ref _remoteCandidates, [.. _remoteCandidates, candidate]);
            return true;
        }
    }

    /// <summary>
    /// ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1): the client offered new credentials, so we take fresh local ones
    /// (or <paramref name="newLocal"/>) for the answer. Pairs and the selected pair stay; checks with the previous
    /// credentials are still answered until the first valid check with the new ones.
    /// </summary>
    public IceCredentials Restart(IceCredentials remote, IceCredentials? newLocal = null)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var local = newLocal ?? IceCredentials.Generate();
        string? superseded;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == IceConnectionState.Closed, this);
            superseded = _previous?.Local.Ufrag;
            _previous = _current;
            _current = new Generation(local, remote);
            Volatile.Write(ref _remoteCandidates, []);
        }

        UfragsChanged?.Invoke(this, local.Ufrag, superseded);
        return local;
    }

    /// <summary>
    /// Handles one datagram a mux received on <paramref name="channel"/>: STUN is answered, anything else from a valid
    /// pair goes to <see cref="DatagramReceived"/>. Never throws on malformed input.
    /// </summary>
    public IceReceiveResult Receive(IIceChannel channel, ReadOnlySpan<byte> datagram)
    {
        var kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Stun)
        {
            return ReceiveStun(channel, datagram);
        }

        if (kind == PacketKind.Unknown || _state == IceConnectionState.Closed)
        {
            return IceReceiveResult.Dropped;
        }

        var pair = FindPair(channel);
        if (pair is null)
        {
            return IceReceiveResult.Dropped;
        }

        pair.LastReceivedTimestamp = _time.GetTimestamp();
        DatagramReceived?.Invoke(pair, datagram);
        return IceReceiveResult.Delivered;
    }

    /// <summary>
    /// Sends on the selected pair or, before the first nomination, on the valid pair that heard from the peer last
    /// (RFC 8445 §12.1: data MAY go on any valid pair until a pair is selected). Browsers start DTLS as soon as a
    /// check succeeds, often before the check that carries USE-CANDIDATE; the reply to that ClientHello must not be
    /// lost, or the handshake waits for the client's 1 s retransmission. Dropped (and counted) when there is no
    /// valid pair or consent was lost.
    /// </summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        var pair = _selected ?? LatestValidPair();
        if (pair is null || _state is IceConnectionState.Failed or IceConnectionState.Closed)
        {
            Interlocked.Increment(ref _sendDropped);
            return;
        }

        pair.Channel.Send(datagram);
    }

    private IceCandidatePair? LatestValidPair()
    {
        IceCandidatePair? latest = null;
        foreach (var pair in _pairs)
        {
            if (latest is null || pair.LastReceivedTimestamp > latest.LastReceivedTimestamp)
            {
                latest = pair;
            }
        }

        return latest;
    }

    public void Dispose()
    {
        IceCandidatePair[] pairs;
        Generation current;
        Generation? previous;
        lock (_gate)
        {
            if (_state == IceConnectionState.Closed)
            {
                return;
            }

            _state = IceConnectionState.Closed;
            pairs = _pairs;
            _pairs = [];
            _selected = null;
            current = _current;
            previous = _previous;
            _previous = null;
        }

        _consentTimer.Dispose();
        foreach (var pair in pairs)
        {
            pair.Channel.Close();
        }

        UfragsChanged?.Invoke(this, null, current.Local.Ufrag);
        if (previous is not null)
        {
            UfragsChanged?.Invoke(this, null, previous.Local.Ufrag);
        }

        StateChanged?.Invoke(this, IceConnectionState.Closed);
    }

    public override string ToString() => $"ice-lite {LocalCredentials} {State}";

    private IceReceiveResult ReceiveStun(IIceChannel channel, ReadOnlySpan<byte> datagram)
    {
        if (!StunMessage.TryRead(datagram, out var message, out _)
            || message.Method != StunMessageType.BindingMethod
            || (message.HasFingerprint && !message.VerifyFingerprint())
            || _state == IceConnectionState.Closed)
        {
            return IceReceiveResult.Dropped;
        }

        if (message.Class == StunClass.Indication)
        {
            // A keepalive (RFC 8445 §11): proof of life for the pair, not consent.
            var known = FindPair(channel);
            if (known is null)
            {
                return IceReceiveResult.Dropped;
            }

            known.LastReceivedTimestamp = _time.GetTimestamp();
            return IceReceiveResult.Handled;
        }

        // A lite agent sends no requests, so responses are never ours. Connectivity checks always carry FINGERPRINT
        // (RFC 8445 §7.2.2); without it the packet is not ICE.
        if (message.Class != StunClass.Request || !message.HasFingerprint)
        {
            return IceReceiveResult.Dropped;
        }

        var transactionId = message.TransactionId;
        if (!message.TryGetUsername(out var username) || !message.HasMessageIntegrity)
        {
            return Reject(channel, transactionId, StunErrorCode.BadRequest, null, default);
        }

        var generation = MatchGeneration(username, out var isCurrent);
        if (generation is null || !message.VerifyMessageIntegrity(generation.Local.PasswordBytes))
        {
            return Reject(channel, transactionId, StunErrorCode.Unauthorized, null, default);
        }

        Span<ushort> unknown = stackalloc ushort[MaxReportedUnknownAttributes];
        var unknownCount = message.GetUnknownComprehensionRequired(unknown);
        if (unknownCount > 0)
        {
            return Reject(channel, transactionId, StunErrorCode.UnknownAttribute, generation.Local, unknown[..unknownCount]);
        }

        if (message.TryGetIceControlled(out _))
        {
            // Both sides claim the controlled role (RFC 8445 §7.3.1.1). A lite agent can never be controlling
            // (§6.1.1), so it keeps its role and answers 487 as if its tie-breaker were the largest.
            return Reject(channel, transactionId, StunErrorCode.RoleConflict, generation.Local, default);
        }

        message.TryGetPriority(out var priority);
        var nominate = message.HasUseCandidate;
        SendSuccess(channel, transactionId, generation.Local);
        Accept(channel, priority, nominate, isCurrent);
        return IceReceiveResult.Accepted;
    }

    private Generation? MatchGeneration(ReadOnlySpan<byte> username, out bool isCurrent)
    {
        isCurrent = false;
        var colon = username.IndexOf((byte)':');
        if (colon < 0)
        {
            return null;
        }

        // RFC 8445 §7.2.2: USERNAME is "recipient ufrag:sender ufrag", so ours comes first.
        var localPart = username[..colon];
        var remotePart = username[(colon + 1)..];
        var current = _current;
        if (current.Matches(localPart, remotePart))
        {
            isCurrent = true;
            return current;
        }

        var previous = _previous;
        return previous is not null && previous.Matches(localPart, remotePart) ? previous : null;
    }

    private void Accept(IIceChannel channel, uint remotePriority, bool nominate, bool isCurrentGeneration)
    {
        IceCandidatePair? evicted = null;
        IceCandidatePair? newlySelected = null;
        IceConnectionState? newState = null;
        string? retiredUfrag = null;
        lock (_gate)
        {
            if (_state == IceConnectionState.Closed)
            {
                return;
            }

            var now = _time.GetTimestamp();
            var pair = FindPair(channel) ?? AddPair(channel, out evicted);
            pair.RemotePriority = remotePriority;
            pair.LastCheckTimestamp = now;
            pair.LastReceivedTimestamp = now;
            if (isCurrentGeneration && _previous is { } previous)
            {
                retiredUfrag = previous.Local.Ufrag;
                _previous = null;
            }

            if (nominate)
            {
                pair.IsNominated = true;
                pair.NominatedTimestamp = now;
                if (!ReferenceEquals(_selected, pair) && ShouldSelect(pair, now))
                {
                    _selected = pair;
                    newlySelected = pair;
                }
            }

            var target = ReferenceEquals(_selected, pair)
                ? IceConnectionState.Connected
                : _state == IceConnectionState.New ? IceConnectionState.Checking : _state;
            if (target != _state)
            {
                _state = target;
                newState = target;
            }

            if (_state == IceConnectionState.Connected && !_consentTimerArmed)
            {
                ArmConsentTimer(_options.DisconnectedTimeout);
            }
        }

        evicted?.Channel.Close();
        Notify(retiredUfrag, newlySelected, newState);
    }

    private IceCandidatePair AddPair(IIceChannel channel, out IceCandidatePair? evicted)
    {
        evicted = null;
        var localPriority = channel.Protocol == IceProtocol.Udp ? IcePriority.HostUdp() : IcePriority.HostTcpPassive();
        var pair = new IceCandidatePair(channel, localPriority);
        var pairs = _pairs;
        if (pairs.Length >= _options.MaxPairs)
        {
            var victim = pairs.Where(p => !ReferenceEquals(p, _selected)).MinBy(p => p.LastReceivedTimestamp);
            pairs = Array.FindAll(pairs, p => !ReferenceEquals(p, victim));
            evicted = victim;
        }

        _pairs = [.. pairs, pair];
        return pair;
    }

    private bool ShouldSelect(IceCandidatePair nominated, long now)
    {
        var current = _selected;
        return current is null
            || nominated.Priority >= current.Priority
            || _time.GetElapsedTime(current.LastReceivedTimestamp, now) >= _options.RoamingTimeout;
    }

    private void ArmConsentTimer(TimeSpan due)
    {
        _consentTimerArmed = true;
        _consentTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void OnConsentTimer()
    {
        IceCandidatePair? newlySelected = null;
        IceConnectionState? newState = null;
        lock (_gate)
        {
            _consentTimerArmed = false;
            var selected = _selected;
            if (_state == IceConnectionState.Closed || selected is null)
            {
                return;
            }

            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(selected.LastReceivedTimestamp, now) >= _options.RoamingTimeout
                && FindFresherNominatedPair(selected, now) is { } replacement)
            {
                _selected = selected = newlySelected = replacement;
            }

            var quiet = _time.GetElapsedTime(selected.LastCheckTimestamp, now);
            var failAfter = _options.DisconnectedTimeout + _options.FailedTimeout;
            IceConnectionState target;
            if (quiet >= failAfter)
            {
                target = IceConnectionState.Failed;
            }
            else if (quiet >= _options.DisconnectedTimeout)
            {
                target = IceConnectionState.Disconnected;
                ArmConsentTimer(failAfter - quiet);
            }
            else
            {
                target = IceConnectionState.Connected;
                ArmConsentTimer(_options.DisconnectedTimeout - quiet);
            }

            if (target != _state)
            {
                _state = target;
                newState = target;
            }
        }

        Notify(null, newlySelected, newState);
    }

    /// <summary>A nominated pair with a more recent valid check than the quiet selected one: best priority, then latest.</summary>
    private IceCandidatePair? FindFresherNominatedPair(IceCandidatePair selected, long now)
    {
        IceCandidatePair? best = null;
        foreach (var pair in _pairs)
        {
            if (!pair.IsNominated || ReferenceEquals(pair, selected)
                || pair.LastCheckTimestamp <= selected.LastCheckTimestamp
                || _time.GetElapsedTime(pair.LastCheckTimestamp, now) >= _options.DisconnectedTimeout)
            {
                continue;
            }

            if (best is null || pair.Priority > best.Priority
                || (pair.Priority == best.Priority && pair.NominatedTimestamp > best.NominatedTimestamp))
            {
                best = pair;
            }
        }

        return best;
    }

    private void Notify(string? retiredUfrag, IceCandidatePair? newlySelected, IceConnectionState? newState)
    {
        if (retiredUfrag is not null)
        {
            UfragsChanged?.Invoke(this, null, retiredUfrag);
        }

        if (newlySelected is not null)
        {
            SelectedPairChanged?.Invoke(this, newlySelected);
        }

        if (newState is { } state)
        {
            StateChanged?.Invoke(this, state);
        }
    }

    private IceCandidatePair? FindPair(IIceChannel channel)
    {
        foreach (var pair in _pairs)
        {
            if (ReferenceEquals(pair.Channel, channel))
            {
                return pair;
            }
        }

        return null;
    }

    private static IceReceiveResult Reject(IIceChannel channel, StunTransactionId transactionId, int code, IceCredentials? integrityKey, ReadOnlySpan<ushort> unknownAttributes)
    {
        Span<byte> buffer = stackalloc byte[ResponseBufferSize];
        var writer = new StunWriter(buffer, StunMessageType.BindingErrorResponse, transactionId);
        writer.AddErrorCode(code, StunErrorCode.ReasonPhrase(code));
        if (!unknownAttributes.IsEmpty)
        {
            writer.AddUnknownAttributes(unknownAttributes);
        }

        // 400 and 401 cannot be authenticated, so they carry no MESSAGE-INTEGRITY (RFC 8489 §9.1.3).
        if (integrityKey is not null)
        {
            writer.AddMessageIntegrity(integrityKey.PasswordBytes);
        }

        writer.AddFingerprint();
        if (writer.TryComplete(out var length))
        {
            channel.Send(buffer[..length]);
        }

        return IceReceiveResult.Rejected;
    }

    private static void SendSuccess(IIceChannel channel, StunTransactionId transactionId, IceCredentials local)
    {
        Span<byte> buffer = stackalloc byte[ResponseBufferSize];
        Span<byte> address = stackalloc byte[16];
        var writer = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, transactionId);
        if (SocketAddressHelper.TryGetAddress(channel.RemoteAddress, address, out var addressLength, out var port))
        {
            writer.AddXorMappedAddress(address[..addressLength], port);
        }

        writer.AddMessageIntegrity(local.PasswordBytes);
        writer.AddFingerprint();
        if (writer.TryComplete(out var length))
        {
            channel.Send(buffer[..length]);
        }
    }

    /// <summary>One ICE generation: our credentials and the client's (unknown until its offer is applied).</summary>
    private sealed record Generation(IceCredentials Local, IceCredentials? Remote)
    {
        public bool Matches(ReadOnlySpan<byte> localUfrag, ReadOnlySpan<byte> remoteUfrag) =>
            localUfrag.SequenceEqual(Local.UfragBytes) && (Remote is null || remoteUfrag.SequenceEqual(Remote.UfragBytes));
    }
}
