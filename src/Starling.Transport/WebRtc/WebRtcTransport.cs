using Starling.Wire.Diagnostics;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Starling.Transport.Dtls;
using Starling.Transport.Ice;
using Starling.Transport.Sctp;
using Starling.Transport.Srtp;
using Starling.Wire;
using Starling.Wire.Sdp;

namespace Starling.Transport.WebRtc;

/// <summary>
/// One WebRTC peer connection on the server side: an ICE-lite agent (registered with the shared UDP/TCP muxes),
/// a DTLS server session on the selected pair, an SCTP association with DCEP data channels over DTLS, and the SDP
/// that describes them. DTLS starts when the remote description (and so the peer's fingerprint) is known; DTLS
/// records that arrive earlier are queued. The session survives ICE restarts (new credentials, same DTLS/SCTP).
/// </summary>
internal sealed class WebRtcTransport : IRtcTransport
{
    private readonly object _gate = new();
    private readonly RtcTransportFactory _factory;
    private readonly IceAgent _ice;
    private readonly ConcurrentQueue<byte[]> _earlyDtls = new();
    private readonly List<(string Label, bool Ordered, int? MaxRetransmits)> _pendingChannels = [];
    private readonly Dictionary<string, Queue<byte[]>> _pendingSends = new(StringComparer.Ordinal);
    private int _pendingSendCount;

    private readonly ulong _sessionId = (ulong)RandomNumberGenerator.GetInt32(int.MaxValue);
    private ulong _sessionVersion;
    private RemoteSdpParameters? _remote;
    private DtlsServerSession? _dtls;
    private SctpAssociation? _sctp;
    private DataChannelManager? _channels;
    private RtcTransportState _state = RtcTransportState.New;
    private readonly object _srtpOutGate = new();
    private readonly object _srtpInGate = new();
    private SrtpContext? _srtpIn;
    private SrtpContext? _srtpOut;
    private long _srtpDropped;

    [ThreadStatic]
    private static byte[]? t_scratch;
    private bool _disposed;

    public WebRtcTransport(RtcTransportFactory factory, bool serverIsOfferer)
    {
        _factory = factory;
        ServerIsOfferer = serverIsOfferer;
        _ice = new IceAgent(factory.IceOptions, factory.Time);
        _ice.DatagramReceived = OnIceDatagram;
        _ice.StateChanged += (_, state) => OnIceState(state);
        factory.Registry.TryAdd(_ice);
    }

    public bool ServerIsOfferer { get; }

    public RtcTransportState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>DTLS datagrams dropped because no session could take them.</summary>
    public long DroppedEarlyDtls { get; private set; }

    internal IceAgent Ice => _ice;

    public event Action<RtcTransportState>? StateChanged;

    public Func<string, MediaSendAssignment?>? SendAssignments { get; set; }

    public Func<SdpMediaDescription, int?>? PublishCodecs { get; set; }

    public SdpSessionDescription? RemoteOffer { get; private set; }

    public RtpPacketHandler? RtpReceived { get; set; }

    public RtpPacketHandler? RtcpReceived { get; set; }

    /// <summary>SRTP/SRTCP packets that failed to decrypt or protect.</summary>
    public long SrtpDropped => Interlocked.Read(ref _srtpDropped);

    public event Action<string, ReadOnlyMemory<byte>>? DataReceived;

    public event Action<string>? LocalCandidate;

    public event Action<string>? DataChannelOpened;

    // ------------------------------------------------------------------ negotiation

    public string ApplyOffer(string sdp)
    {
        var offer = SdpNegotiator.Parse(sdp);
        var remote = SdpNegotiator.ReadRemote(offer);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ApplyRemoteLocked(remote);
            RemoteOffer = offer;
            return SdpNegotiator.BuildAnswer(offer, LocalParametersLocked(), SendAssignments, PublishCodecs);
        }
    }

    public string CreateOffer(bool iceRestart, IReadOnlyList<OfferedMediaSection> media)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (iceRestart && _remote is not null)
            {
                // New local credentials; the client's new ones arrive with its answer.
                _ice.Restart(new IceCredentials(_remote.IceUfrag, _remote.IcePassword));
            }

            return SdpNegotiator.BuildOffer(LocalParametersLocked(), media);
        }
    }

    public SdpSessionDescription ApplyAnswer(string sdp)
    {
        var answer = SdpNegotiator.Parse(sdp);
        var remote = SdpNegotiator.ReadRemote(answer);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ApplyRemoteLocked(remote, fromAnswer: true);
        }

        return answer;
    }

    private void ApplyRemoteLocked(RemoteSdpParameters remote, bool fromAnswer = false)
    {
        var credentials = new IceCredentials(remote.IceUfrag, remote.IcePassword);
        if (_remote is null)
        {
            _ice.SetRemoteCredentials(credentials);
        }
        else if (_remote.IceUfrag != remote.IceUfrag || _remote.IcePassword != remote.IcePassword)
        {
            if (fromAnswer)
            {
                _ice.SetRemoteCredentials(credentials);
            }
            else
            {
                _ice.Restart(credentials);
            }
        }

        if (_dtls is null)
        {
            if (!DtlsFingerprint.TryParse(remote.Fingerprint, out var fingerprint) || fingerprint is null)
            {
                throw new FormatException("unsupported DTLS fingerprint: " + remote.Fingerprint);
            }

            StartDtlsLocked(fingerprint);
        }

        _remote = remote;
    }

    private LocalSdpParameters LocalParametersLocked() => new(
        _ice.LocalCredentials.Ufrag,
        _ice.LocalCredentials.Password,
        _factory.Certificate.Fingerprint.ToString(),
        _factory.CandidateLines,
        _sessionId,
        ++_sessionVersion);

    public void AddRemoteCandidate(string candidateInitJson)
    {
        if (IceCandidateInit.TryParse(candidateInitJson, out var init, out _) && init.TryGetCandidate(out var candidate))
        {
            _ice.AddRemoteCandidate(candidate);
        }
    }

    // ------------------------------------------------------------------ DTLS and SCTP

    private void StartDtlsLocked(DtlsFingerprint remoteFingerprint)
    {
        var dtls = new DtlsServerSession(_factory.Certificate, remoteFingerprint, _ice, _factory.Time);
        dtls.HandshakeCompleted += result => OnDtlsConnected(result);
        dtls.Failed += _ => SetState(RtcTransportState.Failed);
        dtls.Closed += () => SetState(RtcTransportState.Closed);
        var sctp = new SctpAssociation(dtls, new SctpAssociationOptions { MaxPacketSize = _factory.Options.SctpMaxPacketSize }, _factory.Time);
        dtls.ApplicationDataReceived += data => sctp.HandlePacket(data);
        var channels = new DataChannelManager(sctp, isDtlsServer: true);
        channels.ChannelOpened += Adopt;
        sctp.Established += OnSctpEstablished;
        _dtls = dtls;
        _sctp = sctp;
        _channels = channels;
        dtls.Start();
        while (_earlyDtls.TryDequeue(out var early))
        {
            dtls.HandleDatagram(early);
        }
    }

    private void OnDtlsConnected(DtlsHandshakeResult result)
    {
        if (result.Srtp is { } keys)
        {
            lock (_srtpInGate)
            {
                _srtpIn = keys.CreateClientWriteContext();
            }

            lock (_srtpOutGate)
            {
                _srtpOut = keys.CreateServerWriteContext();
            }
        }

        _sctp?.Connect();
        SetState(RtcTransportState.Connected);
    }

    private void OnSctpEstablished()
    {
        List<(string Label, bool Ordered, int? MaxRetransmits)> pending;
        lock (_gate)
        {
            pending = [.. _pendingChannels];
            _pendingChannels.Clear();
        }

        foreach (var (label, ordered, maxRetransmits) in pending)
        {
            Adopt(_channels!.OpenChannel(label, ordered, maxRetransmits));
        }
    }

    private void Adopt(DataChannel channel)
    {
        channel.MessageReceived += (c, message) => DataReceived?.Invoke(c.Label, message.Data);
        if (channel.State == DataChannelState.Open)
        {
            OnChannelOpen(channel);
        }
        else
        {
            channel.Opened += OnChannelOpen;
        }
    }

    /// <summary>
    /// Flushes, in order, what was sent before the channel opened, then reports it open. While a label has a
    /// pending queue, new messages join it (see <see cref="SendData"/>), so nothing overtakes a queued message;
    /// the queue is drained in batches outside the lock and removed only when found empty.
    /// </summary>
    private void OnChannelOpen(DataChannel channel)
    {
        while (true)
        {
            byte[][] batch;
            lock (_gate)
            {
                if (!_pendingSends.TryGetValue(channel.Label, out var queue) || queue.Count == 0)
                {
                    _pendingSends.Remove(channel.Label);
                    break;
                }

                batch = [.. queue];
                queue.Clear();
                _pendingSendCount -= batch.Length;
            }

            foreach (var message in batch)
            {
                channel.Send(message);
            }
        }

        DataChannelOpened?.Invoke(channel.Label);
    }

    public void CreateDataChannel(string label, bool ordered, int? maxRetransmits)
    {
        DataChannel? opened = null;
        lock (_gate)
        {
            if (_sctp is { } sctp && _channels is { } channels && sctp.GetStats().State == SctpAssociationState.Established)
            {
                opened = channels.OpenChannel(label, ordered, maxRetransmits);
            }
            else
            {
                _pendingChannels.Add((label, ordered, maxRetransmits));
            }
        }

        if (opened is not null)
        {
            Adopt(opened);
        }
    }

    /// <summary>
    /// Sends on the open channel with this label. Until it opens (a client's channels open a moment after it
    /// reports itself connected), messages wait in a bounded queue (<see cref="MaxPendingSends"/>) and are flushed
    /// in order when it does; beyond the bound they are dropped and false is returned.
    /// </summary>
    public bool SendData(string label, ReadOnlySpan<byte> message)
    {
        DataChannel? open = null;
        if (_channels is { } channels)
        {
            foreach (var channel in channels.Channels)
            {
                if (channel.Label == label && channel.State == DataChannelState.Open)
                {
                    open = channel;
                    break;
                }
            }
        }

        lock (_gate)
        {
            if (open is null || _pendingSends.ContainsKey(label))
            {
                if (_disposed || _pendingSendCount >= MaxPendingSends)
                {
                    return false;
                }

                if (!_pendingSends.TryGetValue(label, out var queue))
                {
                    _pendingSends[label] = queue = new Queue<byte[]>();
                }

                queue.Enqueue(message.ToArray());
                _pendingSendCount++;
                return true;
            }
        }

        return open.Send(message) == SctpSendStatus.Queued;
    }

    /// <summary>Messages kept for channels that are not open yet, over all labels.</summary>
    public const int MaxPendingSends = 1024;

    // ------------------------------------------------------------------ ICE

    private void OnIceDatagram(IceCandidatePair pair, ReadOnlySpan<byte> datagram)
    {
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Dtls:
                var dtls = _dtls;
                if (dtls is not null)
                {
                    dtls.HandleDatagram(datagram);
                }
                else if (_earlyDtls.Count < _factory.Options.EarlyDtlsQueue)
                {
                    _earlyDtls.Enqueue(datagram.ToArray());
                    if (_dtls is { } late)
                    {
                        // the session started while we queued: hand over what is waiting
                        while (_earlyDtls.TryDequeue(out var queued))
                        {
                            late.HandleDatagram(queued);
                        }
                    }
                }
                else
                {
                    DroppedEarlyDtls++;
                }

                break;
            case PacketKind.Rtp:
            case PacketKind.Rtcp:
                ReceiveMedia(datagram, rtcp: PacketClassifier.Classify(datagram) == PacketKind.Rtcp);
                break;
            default:
                break;
        }
    }

    /// <summary>Decrypts SRTP/SRTCP into a per-thread scratch buffer and hands the plain packet on.</summary>
    private void ReceiveMedia(ReadOnlySpan<byte> datagram, bool rtcp)
    {
        var handler = rtcp ? RtcpReceived : RtpReceived;
        if (handler is null || datagram.Length > 1600)
        {
            return;
        }

        var scratch = t_scratch ??= new byte[1600];
        datagram.CopyTo(scratch);
        SrtpStatus status;
        int plain;
        lock (_srtpInGate)
        {
            if (_srtpIn is not { } srtp)
            {
                return;
            }

            status = rtcp ? srtp.UnprotectRtcp(scratch, datagram.Length, out plain) : srtp.UnprotectRtp(scratch, datagram.Length, out plain);
        }

        if (status != SrtpStatus.Ok)
        {
            Interlocked.Increment(ref _srtpDropped);
            (rtcp ? MediaCounters.SrtcpUnprotectFailed : MediaCounters.SrtpUnprotectFailed).Increment();
            return;
        }

        handler(scratch.AsSpan(0, plain));
    }

    public bool SendRtp(Span<byte> buffer, int length)
    {
        int protectedLength;
        lock (_srtpOutGate)
        {
            if (_srtpOut is not { } srtp || srtp.ProtectRtp(buffer, length, out protectedLength) != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _srtpDropped);
                MediaCounters.SrtpProtectFailed.Increment();
                return false;
            }
        }

        // outside the lock: concurrent senders may reorder slightly, which the receiver's replay window absorbs
        _ice.Send(buffer[..protectedLength]);
        return true;
    }

    public bool SendRtcp(ReadOnlySpan<byte> packet)
    {
        Span<byte> buffer = stackalloc byte[1500];
        if (packet.Length > buffer.Length - 64)
        {
            return false;
        }

        packet.CopyTo(buffer);
        int protectedLength;
        lock (_srtpOutGate)
        {
            if (_srtpOut is not { } srtp || srtp.ProtectRtcp(buffer, packet.Length, out protectedLength) != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _srtpDropped);
                MediaCounters.SrtpProtectFailed.Increment();
                return false;
            }
        }

        _ice.Send(buffer[..protectedLength]);
        return true;
    }

    private void OnIceState(IceConnectionState state)
    {
        switch (state)
        {
            case IceConnectionState.Disconnected:
                SetState(RtcTransportState.Disconnected);
                break;
            case IceConnectionState.Failed:
                SetState(RtcTransportState.Failed);
                break;
            case IceConnectionState.Connected when _dtls?.State == DtlsSessionState.Connected:
                SetState(RtcTransportState.Connected);
                break;
            case IceConnectionState.Checking or IceConnectionState.Connected:
                SetState(RtcTransportState.Connecting);
                break;
        }
    }

    private void SetState(RtcTransportState state)
    {
        lock (_gate)
        {
            if (_state == state || _state == RtcTransportState.Closed || (_state == RtcTransportState.Failed && state != RtcTransportState.Closed))
            {
                return;
            }

            if (state == RtcTransportState.Connecting && _state == RtcTransportState.Connected)
            {
                return;
            }

            _state = state;
        }

        StateChanged?.Invoke(state);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _factory.Registry.Remove(_ice);
        _channels?.Dispose();
        _sctp?.Dispose();
        _dtls?.Dispose();
        _ice.Dispose();
        SetState(RtcTransportState.Closed);
        _ = LocalCandidate;
    }
}
