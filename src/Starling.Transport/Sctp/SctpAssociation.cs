using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Starling.Transport.Sctp;

/// <summary>
/// One SCTP association over DTLS (RFC 8261), sans-I/O: feed received SCTP packets to <see cref="HandlePacket"/>,
/// packets go out through the <see cref="IDatagramSender"/> (one SCTP packet per call, i.e. per DTLS record),
/// timers run on the injected <see cref="TimeProvider"/>.
/// <para>
/// Implements RFC 9260 (handshake in both roles with INIT collision handling, verification tags, DATA/SACK with gap
/// blocks and duplicate reporting, delayed SACK, RTO, T3-rtx and fast retransmit, congestion and flow control,
/// heartbeats, ERROR/ABORT, graceful shutdown), RFC 3758 (partial reliability, FORWARD TSN) and RFC 6525
/// (outgoing SSN reset). No I-DATA (RFC 8260), no multi-homing.
/// </para>
/// <para>
/// Threading: every public member and timer callback takes one short lock to mutate state; packets and events
/// produced under it are queued and delivered after the lock is released by a single draining thread at a time,
/// so event handlers run serially, never under the lock, and may call back into the association (re-entrant
/// calls just queue more work for the thread that is draining). Handlers must not block for long and must not
/// throw: an exception propagates to whichever caller happened to be draining.
/// </para>
/// </summary>
internal sealed class SctpAssociation : IDisposable
{
    private const int MaxGapAckBlocks = 64;
    private const int MaxDuplicateTsnsReported = 32;
    private const int MaxForwardTsnStreams = 64;
    private static readonly byte[] SupportedExtensions = [(byte)SctpChunkType.ForwardTsn, (byte)SctpChunkType.ReConfig];

    private readonly Lock _gate = new();
    private readonly IDatagramSender _sender;
    private readonly SctpAssociationOptions _options;
    private readonly TimeProvider _time;
    private readonly Random? _random;
    private readonly byte[] _cookieKey = new byte[StateCookie.KeySize];
    private readonly long _epoch;
    private readonly int _maxDataPayload;

    private readonly SctpPacketBuilder _builder;
    private readonly List<OutgoingPacket> _outbox = [];
    private readonly List<OutgoingPacket> _sending = [];
    private readonly Queue<Action> _events = new();
    private readonly List<Action> _raising = [];
    private readonly List<byte[]> _controlChunks = [];
    private readonly List<SctpMessage> _delivered = [];
    private readonly List<OutgoingMessage> _expired = [];
    private readonly List<ushort> _lowWater = [];
    private readonly List<uint> _duplicates = [];
    private readonly List<ushort> _streamsToReset = [];
    private readonly SctpCounters _counters = new();

    private readonly SctpTimer _t1Init;
    private readonly SctpTimer _t1Cookie;
    private readonly SctpTimer _t2Shutdown;
    private readonly SctpTimer _t3Rtx;
    private readonly SctpTimer _delayedAck;
    private readonly SctpTimer _reconfigTimer;
    private readonly SctpTimer _heartbeatTimer;

    private readonly RtoEstimator _rto;
    private readonly ReceivedTsnTracker _tracker = new();
    private readonly SendQueue _sendQueue = new();
    private ReassemblyQueue _reassembly;
    private RetransmissionQueue? _rq;

    private SctpAssociationState _state;
    private bool _terminated;
    private bool _flushing;
    private bool _disposed;
    private uint _localTag;
    private uint _peerTag;
    private uint _localInitialTsn;
    private uint _localTieTag;
    private uint _peerTieTag;
    private ushort _outboundStreams;
    private ushort _inboundStreams;
    private bool _peerSupportsForwardTsn;
    private bool _peerSupportsReConfig;
    private byte[]? _initChunk;
    private byte[]? _cookieEchoChunk;
    private byte[]? _cookieErrorChunk;
    private bool _cookieEchoPending;
    private bool _cookieAckPending;
    private int _initRetransmits;
    private int _errorCount;

    private bool _sackNow;
    private int _dataPacketsSinceSack;
    private bool _fastRetransmitPending;
    private bool _forwardTsnPending;
    private bool _shutdownPending;
    private bool _shutdownAckPending;

    private uint _nextRequestSeq;
    private uint _peerNextRequestSeq;
    private ReconfigurationResult _lastPeerRequestResult;
    private ResetRequest? _currentRequest;
    private bool _reconfigRequestPending;
    private ResetRequest? _deferredReset;
    private ResetRequest? _completedDeferredReset;

    private ulong _heartbeatNonce;
    private bool _heartbeatOutstanding;

    public SctpAssociation(IDatagramSender sender, SctpAssociationOptions? options = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        _sender = sender;
        _options = options ?? new SctpAssociationOptions();
        _time = timeProvider ?? TimeProvider.System;
        _random = random;
        if (_options.MaxPacketSize < 256 || _options.MaxPacketSize > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxPacketSize must be within [256, 65535].");
        }

        _maxDataPayload = _options.MaxPacketSize - SctpCommonHeader.Size - DataChunk.HeaderSize;
        _epoch = _time.GetTimestamp();
        RandomNumberGenerator.Fill(_cookieKey);
        _builder = new SctpPacketBuilder(_options.MaxPacketSize, _options.LocalPort, _options.RemotePort);
        _rto = new RtoEstimator(_options.RtoInitial, _options.RtoMin, _options.RtoMax);
        _reassembly = new ReassemblyQueue(_options.MaxMessageSize);
        _t1Init = new SctpTimer(_time, _gate, OnT1InitExpired, Flush);
        _t1Cookie = new SctpTimer(_time, _gate, OnT1CookieExpired, Flush);
        _t2Shutdown = new SctpTimer(_time, _gate, OnT2ShutdownExpired, Flush);
        _t3Rtx = new SctpTimer(_time, _gate, OnT3RtxExpired, Flush);
        _delayedAck = new SctpTimer(_time, _gate, OnDelayedAckExpired, Flush);
        _reconfigTimer = new SctpTimer(_time, _gate, OnReconfigTimerExpired, Flush);
        _heartbeatTimer = new SctpTimer(_time, _gate, OnHeartbeatTimerExpired, Flush);
    }

    /// <summary>The association reached ESTABLISHED (also after a peer restart).</summary>
    public event Action? Established;

    /// <summary>The association ended; no more events follow except those already queued.</summary>
    public event Action<SctpCloseReason, string>? Closed;

    /// <summary>The peer restarted the association (RFC 9260 §5.2.4 A): all stream state was reset.</summary>
    public event Action? Restarted;

    /// <summary>A complete message arrived.</summary>
    public event Action<SctpMessage>? MessageReceived;

    /// <summary>The peer reset its outgoing streams, i.e. our incoming ones (RFC 6525); empty = all streams.</summary>
    public event Action<ushort[]>? IncomingStreamsReset;

    /// <summary>Our outgoing stream reset completed (or was refused: the streams are finished either way).</summary>
    public event Action<ushort[]>? OutgoingStreamsReset;

    /// <summary>A stream's buffered amount fell to or below its low threshold.</summary>
    public event Action<ushort>? BufferedAmountLow;

    public SctpAssociationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public SctpAssociationOptions Options => _options;

    /// <summary>Negotiated outbound stream count (0 until the handshake completes).</summary>
    public ushort OutboundStreamCount
    {
        get
        {
            lock (_gate)
            {
                return _outboundStreams;
            }
        }
    }

    /// <summary>Whether the peer negotiated FORWARD TSN (partial reliability).</summary>
    public bool PeerSupportsPartialReliability
    {
        get
        {
            lock (_gate)
            {
                return _peerSupportsForwardTsn;
            }
        }
    }

    private TimeSpan Now => _time.GetElapsedTime(_epoch);

    /// <summary>
    /// Active open: sends INIT and starts T1-init (RFC 9260 §5.1). In WebRTC both peers do this; the collision
    /// resolves per §5.2. Without it the association still answers an INIT (passive open).
    /// </summary>
    public void Connect()
    {
        lock (_gate)
        {
            if (_state != SctpAssociationState.Closed || _terminated || _disposed)
            {
                return;
            }

            _localTag = NewTag();
            _localInitialTsn = NewTag();
            _initChunk = BuildInit(isAck: false, _localTag, _localInitialTsn, [], []);
            SendStandalone(0, _initChunk);
            _initRetransmits = 0;
            _t1Init.Restarts = 0;
            _t1Init.Start(_options.RtoInitial);
            SetState(SctpAssociationState.CookieWait);
        }

        Flush();
    }

    /// <summary>Processes one received SCTP packet. Malformed input is dropped and counted, never thrown.</summary>
    public void HandlePacket(ReadOnlySpan<byte> packet)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _counters.PacketsReceived++;
            ProcessPacket(packet);
            Transmit();
        }

        Flush();
    }

    /// <summary>
    /// Queues a message. Before the handshake completes it is held until ESTABLISHED.
    /// </summary>
    public SctpSendStatus Send(ushort streamId, uint ppid, ReadOnlySpan<byte> payload, SctpSendOptions options = default)
    {
        SctpSendStatus status;
        lock (_gate)
        {
            status = Enqueue(streamId, ppid, payload, options);
            if (status == SctpSendStatus.Queued)
            {
                Transmit();
            }
        }

        Flush();
        return status;
    }

    /// <summary>Bytes queued on a stream and not yet transmitted once.</summary>
    public long GetBufferedAmount(ushort streamId)
    {
        lock (_gate)
        {
            return _sendQueue.GetBufferedAmount(streamId);
        }
    }

    public void SetBufferedAmountLowThreshold(ushort streamId, long threshold)
    {
        lock (_gate)
        {
            _sendQueue.SetBufferedAmountLowThreshold(streamId, threshold);
        }
    }

    /// <summary>
    /// Resets outgoing streams (RFC 6525 §5.1.2) once everything queued on them has been sent;
    /// <see cref="OutgoingStreamsReset"/> fires when the peer confirms.
    /// </summary>
    public void ResetStreams(ReadOnlySpan<ushort> streams)
    {
        lock (_gate)
        {
            foreach (var s in streams)
            {
                if (!_streamsToReset.Contains(s) && !(_currentRequest?.Streams.Contains(s) ?? false))
                {
                    _streamsToReset.Add(s);
                }
            }

            Transmit();
        }

        Flush();
    }

    /// <summary>Graceful close (RFC 9260 §9.2): delivers what is queued, then SHUTDOWN.</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case SctpAssociationState.Closed:
                    _terminated = true;
                    break;
                case SctpAssociationState.CookieWait:
                case SctpAssociationState.CookieEchoed:
                    Terminate(SctpCloseReason.Shutdown, "shutdown before establishment");
                    break;
                case SctpAssociationState.Established:
                    SetState(SctpAssociationState.ShutdownPending);
                    CheckShutdownProgress();
                    Transmit();
                    break;
            }
        }

        Flush();
    }

    /// <summary>Sends ABORT with a User-Initiated Abort cause (RFC 9260 §9.1) and closes.</summary>
    public void Abort(string reason)
    {
        lock (_gate)
        {
            if (_state != SctpAssociationState.Closed)
            {
                AbortAndClose(SctpErrorCauseCode.UserInitiatedAbort, Encoding.UTF8.GetBytes(reason), SctpCloseReason.AbortedLocally, reason);
            }
            else
            {
                _terminated = true;
            }
        }

        Flush();
    }

    public SctpAssociationStats GetStats()
    {
        lock (_gate)
        {
            return new SctpAssociationStats(
                _state,
                _counters with { },
                _rq?.Cwnd ?? 0,
                _rq?.Ssthresh ?? 0,
                _rq?.FlightSize ?? 0,
                _rq?.PeerReceiverWindow ?? 0,
                LocalReceiverWindow(),
                _sendQueue.BufferedBytes,
                _rq?.Count ?? 0,
                _rto.Rto,
                _rto.SmoothedRtt);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_state != SctpAssociationState.Closed)
            {
                AbortAndClose(SctpErrorCauseCode.UserInitiatedAbort, "disposed"u8, SctpCloseReason.AbortedLocally, "disposed");
            }

            _disposed = true;
        }

        Flush();
        lock (_gate)
        {
            _t1Init.Dispose();
            _t1Cookie.Dispose();
            _t2Shutdown.Dispose();
            _t3Rtx.Dispose();
            _delayedAck.Dispose();
            _reconfigTimer.Dispose();
            _heartbeatTimer.Dispose();
            _builder.Discard();
        }
    }

    // ------------------------------------------------------------------ receive path

    private void ProcessPacket(ReadOnlySpan<byte> packet)
    {
        if (!SctpCommonHeader.TryRead(packet, out var header, out _) || packet.Length < SctpCommonHeader.Size + SctpChunk.HeaderSize)
        {
            _counters.MalformedPackets++;
            return;
        }

        if (!SctpCommonHeader.HasValidChecksum(packet))
        {
            _counters.BadChecksums++;
            return;
        }

        if (header.DestinationPort != _options.LocalPort || header.SourcePort != _options.RemotePort)
        {
            _counters.WrongPorts++;
            return;
        }

        // Structure first: every chunk length must be sane; INIT, INIT ACK and SHUTDOWN COMPLETE travel alone
        // (RFC 9260 §6.10).
        var body = packet[SctpCommonHeader.Size..];
        var chunks = 0;
        var mustBeAlone = false;
        for (var rest = body; !rest.IsEmpty;)
        {
            if (!SctpChunk.TryRead(rest, out var c, out var used))
            {
                _counters.MalformedPackets++;
                return;
            }

            chunks++;
            mustBeAlone |= c.ChunkType is SctpChunkType.Init or SctpChunkType.InitAck or SctpChunkType.ShutdownComplete;
            rest = rest[used..];
        }

        if (mustBeAlone && chunks > 1)
        {
            _counters.MalformedPackets++;
            return;
        }

        var sawData = false;
        for (var rest = body; !rest.IsEmpty;)
        {
            SctpChunk.TryRead(rest, out var chunk, out var used);
            var bytes = rest[..used];
            rest = rest[used..];
            var result = ProcessChunk(header, chunk, bytes, ref sawData);
            if (result == ChunkResult.StopPacket)
            {
                break;
            }

            if (result == ChunkResult.Malformed)
            {
                _counters.MalformedPackets++;
                break;
            }
        }

        if (sawData)
        {
            AfterDataReceived();
        }
    }

    private ChunkResult ProcessChunk(in SctpCommonHeader header, in SctpChunk chunk, ReadOnlySpan<byte> bytes, ref bool sawData)
    {
        switch (chunk.ChunkType)
        {
            case SctpChunkType.Init when _terminated:
            case SctpChunkType.CookieEcho when _terminated:
                _counters.OutOfTheBluePackets++;
                return ChunkResult.StopPacket;

            case SctpChunkType.Init:
                if (header.VerificationTag != 0)
                {
                    _counters.BadVerificationTags++;
                    return ChunkResult.StopPacket;
                }

                if (!InitChunk.TryRead(bytes, out var init, out _))
                {
                    return ChunkResult.Malformed;
                }

                HandleInit(init);
                return ChunkResult.StopPacket;

            case SctpChunkType.CookieEcho:
                if (!CookieEchoChunk.TryRead(bytes, out var echo, out _))
                {
                    return ChunkResult.Malformed;
                }

                return HandleCookieEcho(header, echo) ? ChunkResult.Continue : ChunkResult.StopPacket;

            case SctpChunkType.Abort:
                if (!AbortChunk.TryRead(bytes, out var abort, out _))
                {
                    return ChunkResult.Malformed;
                }

                if (_state == SctpAssociationState.Closed)
                {
                    _counters.OutOfTheBluePackets++;
                    return ChunkResult.StopPacket;
                }

                if (!IsReflectableTagValid(header.VerificationTag, abort.TagReflected))
                {
                    _counters.BadVerificationTags++;
                    return ChunkResult.StopPacket;
                }

                // In COOKIE-WAIT the peer does not know our tag yet unless it saw our INIT: accept only ours.
                Terminate(SctpCloseReason.AbortedByPeer, DescribeCauses(abort.ErrorCauses));
                return ChunkResult.StopPacket;

            case SctpChunkType.ShutdownComplete:
                if (_state != SctpAssociationState.ShutdownAckSent)
                {
                    return ChunkResult.StopPacket;
                }

                if (!IsReflectableTagValid(header.VerificationTag, (chunk.Flags & AbortChunk.FlagT) != 0))
                {
                    _counters.BadVerificationTags++;
                    return ChunkResult.StopPacket;
                }

                Terminate(SctpCloseReason.Shutdown, "shutdown complete");
                return ChunkResult.StopPacket;

            case SctpChunkType.ShutdownAck when _state is SctpAssociationState.Closed or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed:
                // RFC 9260 §8.4 rule 5 / §8.5.1 E: answer with SHUTDOWN COMPLETE, T bit set, the packet's tag.
                _counters.OutOfTheBluePackets++;
                SendStandalone(header.VerificationTag, [(byte)SctpChunkType.ShutdownComplete, AbortChunk.FlagT, 0, 4]);
                return ChunkResult.StopPacket;
        }

        if (_state == SctpAssociationState.Closed)
        {
            // Out of the blue (RFC 9260 §8.4): ABORT with the T bit unless it is something we must ignore.
            _counters.OutOfTheBluePackets++;
            if (chunk.ChunkType is not (SctpChunkType.Error or SctpChunkType.ShutdownComplete))
            {
                SendStandalone(header.VerificationTag, [(byte)SctpChunkType.Abort, AbortChunk.FlagT, 0, 4]);
            }

            return ChunkResult.StopPacket;
        }

        if (header.VerificationTag != _localTag)
        {
            _counters.BadVerificationTags++;
            return ChunkResult.StopPacket;
        }

        switch (chunk.ChunkType)
        {
            case SctpChunkType.InitAck:
                if (!InitChunk.TryRead(bytes, out var initAck, out _))
                {
                    return ChunkResult.Malformed;
                }

                HandleInitAck(initAck);
                return ChunkResult.StopPacket;

            case SctpChunkType.CookieAck:
                if (_state == SctpAssociationState.CookieEchoed)
                {
                    EnterEstablished();
                }

                return ChunkResult.Continue;

            case SctpChunkType.Data:
                if (!DataChunk.TryRead(bytes, out var data, out _))
                {
                    return ChunkResult.Malformed;
                }

                sawData = true;
                return HandleData(data) ? ChunkResult.Continue : ChunkResult.StopPacket;

            case SctpChunkType.Sack:
                if (!SackChunk.TryRead(bytes, out var sack, out _))
                {
                    return ChunkResult.Malformed;
                }

                HandleSack(sack);
                return ChunkResult.Continue;

            case SctpChunkType.Heartbeat:
                if (!HeartbeatChunk.TryRead(bytes, out var hb, out _))
                {
                    return ChunkResult.Malformed;
                }

                _counters.HeartbeatsReceived++;
                var ack = new byte[new HeartbeatChunk(true, hb.Information).GetSize()];
                new HeartbeatChunk(true, hb.Information).TryWrite(ack, out _);
                _controlChunks.Add(ack);
                return ChunkResult.Continue;

            case SctpChunkType.HeartbeatAck:
                if (!HeartbeatChunk.TryRead(bytes, out var hbAck, out _))
                {
                    return ChunkResult.Malformed;
                }

                HandleHeartbeatAck(hbAck.Information);
                return ChunkResult.Continue;

            case SctpChunkType.Shutdown:
                if (!ShutdownChunk.TryRead(bytes, out var shutdown, out _))
                {
                    return ChunkResult.Malformed;
                }

                HandleShutdown(shutdown.CumulativeTsnAck);
                return ChunkResult.Continue;

            case SctpChunkType.ShutdownAck:
                if (_state is SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent)
                {
                    SendStandalone(_peerTag, [(byte)SctpChunkType.ShutdownComplete, 0, 0, 4]);
                    Terminate(SctpCloseReason.Shutdown, "shutdown complete");
                    return ChunkResult.StopPacket;
                }

                return ChunkResult.Continue;

            case SctpChunkType.Error:
                if (!ErrorChunk.TryRead(bytes, out var error, out _))
                {
                    return ChunkResult.Malformed;
                }

                HandleError(error.ErrorCauses);
                return ChunkResult.Continue;

            case SctpChunkType.ForwardTsn:
                if (!ForwardTsnChunk.TryRead(bytes, out var forward, out _))
                {
                    return ChunkResult.Malformed;
                }

                sawData = true;
                HandleForwardTsn(forward);
                return ChunkResult.Continue;

            case SctpChunkType.ReConfig:
                if (!ReConfigChunk.TryRead(bytes, out var reconfig, out _))
                {
                    return ChunkResult.Malformed;
                }

                HandleReConfig(reconfig.Parameters);
                return ChunkResult.Continue;

            default:
                return HandleUnknownChunk(chunk, bytes);
        }
    }

    /// <summary>RFC 9260 §3.2: the upper two bits of an unknown chunk type say what to do.</summary>
    private ChunkResult HandleUnknownChunk(in SctpChunk chunk, ReadOnlySpan<byte> bytes)
    {
        _counters.UnknownChunks++;
        var action = chunk.Type >> 6;
        if (action is 1 or 3)
        {
            QueueError(SctpErrorCauseCode.UnrecognizedChunkType, bytes[..Math.Min(bytes.Length, 256)]);
        }

        return action is 0 or 1 ? ChunkResult.StopPacket : ChunkResult.Continue;
    }

    private bool IsReflectableTagValid(uint tag, bool reflected) =>
        reflected ? _peerTag != 0 && tag == _peerTag : tag == _localTag;

    // ------------------------------------------------------------------ handshake

    private void HandleInit(in InitChunk init)
    {
        if (init.InitiateTag == 0)
        {
            _counters.MalformedPackets++;
            return;
        }

        if (init.OutboundStreams == 0 || init.InboundStreams == 0)
        {
            SendAbort(init.InitiateTag, SctpErrorCauseCode.InvalidMandatoryParameter, []);
            return;
        }

        if (_state == SctpAssociationState.ShutdownAckSent)
        {
            // RFC 9260 §9.2: the SHUTDOWN COMPLETE was probably lost; repeat the SHUTDOWN ACK.
            _shutdownAckPending = true;
            return;
        }

        Span<byte> unrecognized = stackalloc byte[512];
        var caps = ParseInitParameters(init.Parameters, wrapUnrecognized: true, unrecognized, out _, out var unrecognizedLength);

        uint tag, tsn, localTie = 0, peerTie = 0;
        switch (_state)
        {
            case SctpAssociationState.Closed:
                tag = NewTag();
                tsn = NewTag();
                break;
            case SctpAssociationState.CookieWait:
                // RFC 9260 §5.2.1: same parameters as our own INIT (collision).
                tag = _localTag;
                tsn = _localInitialTsn;
                _counters.InitCollisions++;
                break;
            case SctpAssociationState.CookieEchoed:
                tag = _localTag;
                tsn = _localInitialTsn;
                localTie = _localTag;
                peerTie = _peerTag;
                _counters.InitCollisions++;
                break;
            default:
                // RFC 9260 §5.2.2: unexpected INIT in an existing association: new tag, tie-tags = current tags.
                do
                {
                    tag = NewTag();
                }
                while (tag == _localTag);
                tsn = NewTag();
                localTie = _localTag;
                peerTie = _peerTag;
                break;
        }

        var cookie = new StateCookie(
            _time.GetUtcNow().ToUnixTimeMilliseconds(),
            (uint)_options.CookieLifetime.TotalMilliseconds,
            tag,
            tsn,
            init.InitiateTag,
            init.InitialTsn,
            init.AdvertisedReceiverWindowCredit,
            init.OutboundStreams,
            init.InboundStreams,
            localTie,
            peerTie,
            caps.ForwardTsn,
            caps.ReConfig);
        Span<byte> cookieBytes = stackalloc byte[StateCookie.Size];
        cookie.TryWrite(cookieBytes, _cookieKey, out _);
        SendStandalone(init.InitiateTag, BuildInit(isAck: true, tag, tsn, cookieBytes, unrecognized[..unrecognizedLength]));
    }

    private void HandleInitAck(in InitChunk initAck)
    {
        if (_state != SctpAssociationState.CookieWait)
        {
            return; // RFC 9260 §5.2.3: discard in any other state.
        }

        if (initAck.InitiateTag == 0)
        {
            _counters.MalformedPackets++;
            return;
        }

        if (initAck.OutboundStreams == 0 || initAck.InboundStreams == 0)
        {
            SendAbort(initAck.InitiateTag, SctpErrorCauseCode.InvalidMandatoryParameter, []);
            Terminate(SctpCloseReason.ProtocolViolation, "INIT ACK with zero streams");
            return;
        }

        Span<byte> unrecognized = stackalloc byte[512];
        var caps = ParseInitParameters(initAck.Parameters, wrapUnrecognized: false, unrecognized, out var cookie, out var unrecognizedLength);
        if (cookie.IsEmpty)
        {
            Span<byte> missing = [0, 0, 0, 1, 0, (byte)SctpParameterType.StateCookie];
            SendAbort(initAck.InitiateTag, SctpErrorCauseCode.MissingMandatoryParameter, missing);
            Terminate(SctpCloseReason.ProtocolViolation, "INIT ACK without State Cookie");
            return;
        }

        InitializeTcb(_localTag, _localInitialTsn, initAck.InitiateTag, initAck.InitialTsn, initAck.AdvertisedReceiverWindowCredit, initAck.OutboundStreams, initAck.InboundStreams, caps.ForwardTsn, caps.ReConfig);
        _localTieTag = _localTag;
        _peerTieTag = _peerTag;
        _t1Init.Stop();

        _cookieEchoChunk = new byte[new CookieEchoChunk(cookie).GetSize()];
        new CookieEchoChunk(cookie).TryWrite(_cookieEchoChunk, out _);
        _cookieErrorChunk = null;
        if (unrecognizedLength > 0)
        {
            // RFC 9260 §3.3.3: report unrecognized INIT ACK parameters in an ERROR bundled with the COOKIE ECHO.
            Span<byte> cause = stackalloc byte[unrecognizedLength + SctpErrorCause.HeaderSize + 3];
            new SctpErrorCause(SctpErrorCauseCode.UnrecognizedParameters, unrecognized[..unrecognizedLength]).TryWrite(cause, out var n);
            _cookieErrorChunk = new byte[new ErrorChunk(cause[..n]).GetSize()];
            new ErrorChunk(cause[..n]).TryWrite(_cookieErrorChunk, out _);
        }

        _cookieEchoPending = true;
        _initRetransmits = 0;
        _t1Cookie.Restarts = 0;
        _t1Cookie.Start(_rto.Rto);
        SetState(SctpAssociationState.CookieEchoed);
    }

    /// <summary>RFC 9260 §5.1.5 and §5.2.4. Returns false when the packet must be discarded.</summary>
    private bool HandleCookieEcho(in SctpCommonHeader header, in CookieEchoChunk echo)
    {
        if (!StateCookie.TryRead(echo.Cookie, _cookieKey, out var cookie, out _))
        {
            _counters.InvalidCookies++;
            return false;
        }

        if (header.VerificationTag != cookie.LocalTag)
        {
            _counters.BadVerificationTags++;
            return false;
        }

        var expired = cookie.IsExpired(_time.GetUtcNow().ToUnixTimeMilliseconds());
        if (_state == SctpAssociationState.Closed)
        {
            if (expired)
            {
                SendStaleCookieError(cookie);
                return false;
            }

            InitializeTcbFromCookie(cookie);
            _cookieAckPending = true;
            EnterEstablished();
            return true;
        }

        var localMatch = cookie.LocalTag == _localTag;
        var peerMatch = _peerTag != 0 && cookie.PeerTag == _peerTag;
        if (!localMatch && !peerMatch && cookie.LocalTieTag == _localTag && cookie.PeerTieTag == _peerTag && _peerTag != 0)
        {
            // (A) The peer restarted.
            if (expired)
            {
                SendStaleCookieError(cookie);
                return false;
            }

            if (_state == SctpAssociationState.ShutdownAckSent)
            {
                _shutdownAckPending = true;
                QueueError(SctpErrorCauseCode.CookieReceivedWhileShuttingDown, []);
                return false;
            }

            _sendQueue.Clear();
            InitializeTcbFromCookie(cookie);
            _cookieAckPending = true;
            RaiseEvent(() => Restarted?.Invoke());
            EnterEstablished();
            return true;
        }

        if (localMatch && !peerMatch)
        {
            // (B) Initialization collision: take the peer's parameters from the cookie.
            _counters.InitCollisions++;
            if (_state is SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed)
            {
                InitializeTcbFromCookie(cookie);
                EnterEstablished();
            }
            else
            {
                _peerTag = cookie.PeerTag;
            }

            _cookieAckPending = true;
            return true;
        }

        if (!localMatch && peerMatch && cookie.LocalTieTag == 0 && cookie.PeerTieTag == 0)
        {
            return false; // (C) a stale cookie from an earlier INIT.
        }

        if (localMatch && peerMatch)
        {
            // (D) Both tags match: a retransmitted COOKIE ECHO or the collision's second half.
            if (_state is SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed)
            {
                EnterEstablished();
            }

            _cookieAckPending = true;
            return true;
        }

        return false;
    }

    private void SendStaleCookieError(in StateCookie cookie)
    {
        _counters.StaleCookies++;
        var staleUs = (uint)Math.Clamp((_time.GetUtcNow().ToUnixTimeMilliseconds() - cookie.CreatedUnixMs - cookie.LifetimeMs) * 1000, 0, uint.MaxValue);
        Span<byte> info = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(info, staleUs);
        Span<byte> cause = stackalloc byte[8];
        new SctpErrorCause(SctpErrorCauseCode.StaleCookie, info).TryWrite(cause, out _);
        Span<byte> chunk = stackalloc byte[12];
        new ErrorChunk(cause).TryWrite(chunk, out var n);
        SendStandalone(cookie.PeerTag, chunk[..n]);
    }

    private void InitializeTcbFromCookie(in StateCookie cookie) =>
        InitializeTcb(cookie.LocalTag, cookie.LocalInitialTsn, cookie.PeerTag, cookie.PeerInitialTsn, cookie.PeerReceiverWindow, cookie.PeerOutboundStreams, cookie.PeerInboundStreams, cookie.PeerSupportsForwardTsn, cookie.PeerSupportsReConfig);

    private void InitializeTcb(uint localTag, uint localTsn, uint peerTag, uint peerTsn, uint peerRwnd, ushort peerOutbound, ushort peerInbound, bool forwardTsn, bool reconfig)
    {
        _localTag = localTag;
        _localInitialTsn = localTsn;
        _peerTag = peerTag;
        _outboundStreams = Math.Min(_options.OutboundStreams, peerInbound);
        _inboundStreams = Math.Min(_options.InboundStreams, peerOutbound);
        _peerSupportsForwardTsn = forwardTsn;
        _peerSupportsReConfig = reconfig;
        _rq = new RetransmissionQueue(localTsn, peerRwnd, _options.MaxPacketSize) { PartialReliability = forwardTsn };
        _tracker.Reset(peerTsn);
        _reassembly = new ReassemblyQueue(_options.MaxMessageSize);
        _duplicates.Clear();
        _nextRequestSeq = localTsn;
        _peerNextRequestSeq = peerTsn;
        _lastPeerRequestResult = ReconfigurationResult.SuccessNothingToDo;
        _currentRequest = null;
        _deferredReset = null;
        _completedDeferredReset = null;
        _errorCount = 0;
        _t3Rtx.Stop();
        _reconfigTimer.Stop();
    }

    private void EnterEstablished()
    {
        _t1Init.Stop();
        _t1Cookie.Stop();
        _cookieEchoPending = false;
        if (_state == SctpAssociationState.Established)
        {
            return;
        }

        SetState(SctpAssociationState.Established);
        if (_options.HeartbeatInterval is { } interval)
        {
            _heartbeatTimer.Start(interval + _rto.Rto);
        }

        RaiseEvent(() => Established?.Invoke());
    }

    /// <summary>
    /// Reads INIT/INIT ACK parameters (RFC 9260 §3.3.2.1). Unknown ones are handled by their upper two bits; those
    /// to report are copied to <paramref name="unrecognized"/>, wrapped in Unrecognized Parameter TLVs for an
    /// INIT ACK (§3.3.3) or raw for an Unrecognized Parameters error cause (§3.3.10.8).
    /// </summary>
    private (bool ForwardTsn, bool ReConfig) ParseInitParameters(ReadOnlySpan<byte> parameters, bool wrapUnrecognized, Span<byte> unrecognized, out ReadOnlySpan<byte> cookie, out int unrecognizedLength)
    {
        cookie = default;
        unrecognizedLength = 0;
        bool forwardTsn = false, reconfig = false;
        while (!parameters.IsEmpty)
        {
            SctpParameter.TryRead(parameters, out var p, out var used);
            var raw = parameters[..p.Length];
            parameters = parameters[used..];
            switch ((SctpParameterType)p.Type)
            {
                case SctpParameterType.StateCookie:
                    cookie = p.Value;
                    break;
                case SctpParameterType.ForwardTsnSupported:
                    forwardTsn = true;
                    break;
                case SctpParameterType.SupportedExtensions:
                    forwardTsn |= p.Value.Contains((byte)SctpChunkType.ForwardTsn);
                    reconfig |= p.Value.Contains((byte)SctpChunkType.ReConfig);
                    break;
                case SctpParameterType.Ipv4Address:
                case SctpParameterType.Ipv6Address:
                case SctpParameterType.CookiePreservative:
                case SctpParameterType.HostNameAddress:
                case SctpParameterType.SupportedAddressTypes:
                    break; // understood, not applicable over DTLS
                default:
                    // RFC 9260 §3.2.1: 00 stop, 01 stop and report, 10 skip, 11 skip and report.
                    var action = p.Type >> 14;
                    if ((action & 1) != 0)
                    {
                        var needed = SctpChunk.Pad4((wrapUnrecognized ? SctpParameter.HeaderSize : 0) + raw.Length);
                        if (unrecognizedLength + needed <= unrecognized.Length)
                        {
                            var destination = unrecognized[unrecognizedLength..];
                            if (wrapUnrecognized)
                            {
                                new SctpParameter((ushort)SctpParameterType.UnrecognizedParameter, raw).TryWrite(destination, out _);
                            }
                            else
                            {
                                raw.CopyTo(destination);
                                destination[raw.Length..needed].Clear();
                            }

                            unrecognizedLength += needed;
                        }
                    }

                    if ((action & 2) == 0)
                    {
                        return (forwardTsn, reconfig);
                    }

                    break;
            }
        }

        return (forwardTsn, reconfig);
    }

    private byte[] BuildInit(bool isAck, uint tag, uint tsn, ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> unrecognized)
    {
        Span<byte> parameters = stackalloc byte[1024];
        var length = 0;
        if (isAck)
        {
            new SctpParameter((ushort)SctpParameterType.StateCookie, cookie).TryWrite(parameters, out var n);
            length += n;
        }

        new SctpParameter((ushort)SctpParameterType.SupportedExtensions, SupportedExtensions).TryWrite(parameters[length..], out var ext);
        length += ext;
        new SctpParameter((ushort)SctpParameterType.ForwardTsnSupported, []).TryWrite(parameters[length..], out var fwd);
        length += fwd;
        if (isAck && length + unrecognized.Length <= parameters.Length)
        {
            // Already wrapped as Unrecognized Parameter TLVs.
            unrecognized.CopyTo(parameters[length..]);
            length += unrecognized.Length;
        }

        var chunk = new InitChunk(isAck, tag, (uint)_options.ReceiveBufferSize, _options.OutboundStreams, _options.InboundStreams, tsn, parameters[..length]);
        var bytes = new byte[chunk.GetSize()];
        chunk.TryWrite(bytes, out _);
        return bytes;
    }

    // ------------------------------------------------------------------ data receive

    private bool CanReceiveData =>
        _state is SctpAssociationState.Established or SctpAssociationState.CookieEchoed
            or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownSent;

    private bool HandleData(in DataChunk data)
    {
        if (!CanReceiveData)
        {
            return true;
        }

        if (data.UserData.IsEmpty)
        {
            // RFC 9260 §6.2: a DATA chunk with no user data is answered with ABORT "No User Data".
            Span<byte> tsn = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(tsn, data.Tsn);
            AbortAndClose(SctpErrorCauseCode.NoUserData, tsn, SctpCloseReason.ProtocolViolation, "DATA chunk without user data");
            return false;
        }

        _counters.DataChunksReceived++;
        if (data.IsImmediate)
        {
            _sackNow = true;
        }

        switch (_tracker.Classify(data.Tsn))
        {
            case TsnStatus.Duplicate:
                _counters.DuplicateTsns++;
                if (_duplicates.Count < MaxDuplicateTsnsReported)
                {
                    _duplicates.Add(data.Tsn);
                }

                _sackNow = true;
                return true;
            case TsnStatus.OutOfWindow:
                _counters.ReceiveWindowDrops++;
                _sackNow = true;
                return true;
        }

        // Bounded receive buffer (RFC 9260 §6.2): beyond it only the next in-sequence TSN is accepted (so a message
        // larger than the window still completes), up to one maximum message more.
        var held = _reassembly.BufferedBytes;
        var size = data.UserData.Length;
        var isNext = data.Tsn == _tracker.CumulativeTsn + 1;
        if (held + size > _options.ReceiveBufferSize && !(isNext && held + size <= (long)_options.ReceiveBufferSize + _options.MaxMessageSize))
        {
            _counters.ReceiveWindowDrops++;
            _sackNow = true;
            return true;
        }

        _tracker.Add(data.Tsn);
        if (data.StreamId >= _inboundStreams)
        {
            // RFC 9260 §6.5: acknowledge, report Invalid Stream Identifier, discard.
            Span<byte> info = stackalloc byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(info, data.StreamId);
            QueueError(SctpErrorCauseCode.InvalidStreamIdentifier, info);
            return true;
        }

        if (!_reassembly.Add(data.Tsn, data.StreamId, data.StreamSequenceNumber, data.PayloadProtocolIdentifier, data.Flags, data.UserData, _delivered))
        {
            AbortAndClose(SctpErrorCauseCode.ProtocolViolation, "message exceeds max-message-size"u8, SctpCloseReason.ProtocolViolation, "message exceeds max-message-size");
            return false;
        }

        return true;
    }

    private void AfterDataReceived()
    {
        _dataPacketsSinceSack++;
        CheckDeferredReset();
        DeliverMessages();
        if (_state == SctpAssociationState.ShutdownSent)
        {
            // RFC 9260 §9.2: answer every packet with DATA with a SHUTDOWN and restart T2.
            _shutdownPending = true;
            _sackNow = true;
            _t2Shutdown.Start(_rto.Rto);
        }

        // RFC 9260 §6.2/§6.7: SACK at once for gaps, duplicates or every second packet; otherwise delay.
        if (_sackNow || _tracker.HasGaps || _dataPacketsSinceSack >= 2)
        {
            _sackNow = true;
        }
        else
        {
            _delayedAck.EnsureRunning(_options.DelayedAckTimeout);
        }
    }

    private void DeliverMessages()
    {
        foreach (var message in _delivered)
        {
            _counters.MessagesReceived++;
            var m = message;
            RaiseEvent(() => MessageReceived?.Invoke(m));
        }

        _delivered.Clear();
    }

    private void HandleForwardTsn(in ForwardTsnChunk forward)
    {
        if (!CanReceiveData)
        {
            return;
        }

        _counters.ForwardTsnsReceived++;
        _sackNow = true;
        var newCum = forward.NewCumulativeTsn;
        if (SerialNumber.Le(newCum, _tracker.CumulativeTsn))
        {
            return;
        }

        if (newCum - _tracker.CumulativeTsn >= ReceivedTsnTracker.Window)
        {
            _counters.MalformedPackets++;
            return;
        }

        _tracker.ForwardTo(newCum);
        _reassembly.HandleForwardTsn(newCum, forward, _delivered);
    }

    // ------------------------------------------------------------------ data send

    private SctpSendStatus Enqueue(ushort streamId, uint ppid, ReadOnlySpan<byte> payload, SctpSendOptions options)
    {
        if (_terminated || _disposed || _state is not (SctpAssociationState.Closed or SctpAssociationState.CookieWait
                or SctpAssociationState.CookieEchoed or SctpAssociationState.Established))
        {
            return SctpSendStatus.InvalidState;
        }

        if (payload.IsEmpty)
        {
            return SctpSendStatus.EmptyMessage;
        }

        if (payload.Length > _options.MaxMessageSize)
        {
            return SctpSendStatus.MessageTooLarge;
        }

        if (_sendQueue.BufferedBytes + (_rq?.OutstandingBytes ?? 0) + payload.Length > _options.MaxSendBufferSize)
        {
            return SctpSendStatus.BufferFull;
        }

        var maxRetransmits = options.MaxRetransmits is { } r ? Math.Max(0, r) : -1;
        TimeSpan? expiresAt = options.Lifetime is { } lifetime ? Now + lifetime : null;
        _sendQueue.Enqueue(new OutgoingMessage(streamId, ppid, payload.ToArray(), options.Unordered, maxRetransmits, expiresAt, !options.Uncounted));
        _counters.MessagesSent++;
        return SctpSendStatus.Queued;
    }

    private void HandleSack(in SackChunk sack)
    {
        _counters.SacksReceived++;
        if (_rq is null || _state is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending
                or SctpAssociationState.ShutdownReceived or SctpAssociationState.ShutdownSent or SctpAssociationState.CookieEchoed))
        {
            return;
        }

        var outcome = _rq.HandleSack(sack, Now);
        AfterAck(outcome);
    }

    private void AfterAck(SackOutcome outcome)
    {
        var rq = _rq!;
        if (!outcome.Accepted)
        {
            return;
        }

        if (outcome.RttSample is { } rtt)
        {
            _rto.Observe(rtt);
        }

        if (outcome.BytesAcked > 0)
        {
            _errorCount = 0;
        }

        if (outcome.FastRetransmit)
        {
            _counters.FastRetransmits++;
            _fastRetransmitPending = true;
        }

        // RFC 9260 §6.3.2 R2/R3.
        if (!rq.HasOutstanding)
        {
            _t3Rtx.Stop();
        }
        else if (outcome.CumulativeAdvanced)
        {
            _t3Rtx.Start(_rto.Rto);
        }

        _counters.AbandonedMessages += rq.AbandonExhausted(Now);
        rq.UpdateAdvancedPeerAckPoint();
        if (rq.IsForwardTsnNeeded)
        {
            // RFC 3758 §3.5 C3/C4: (re)send FORWARD TSN while the peer lags behind the advanced ack point.
            _forwardTsnPending = true;
        }

        CheckShutdownProgress();
    }

    private void Transmit()
    {
        if (_state is SctpAssociationState.Closed or SctpAssociationState.CookieWait || _disposed)
        {
            return;
        }

        MaybeStartStreamReset();
        BuildPackets();
        if (MaybeStartStreamReset())
        {
            BuildPackets();
        }
    }

    private void BuildPackets()
    {
        var b = _builder;
        b.Begin(_peerTag);
        Span<byte> scratch = stackalloc byte[Math.Min(_options.MaxPacketSize, 1500)];
        if (_rq is not null && _state is not (SctpAssociationState.CookieEchoed or SctpAssociationState.Closed))
        {
            // RFC 3758 §3.5: give up on chunks past their budget before deciding what to send.
            _counters.AbandonedMessages += _rq.AbandonExhausted(Now);
            _rq.UpdateAdvancedPeerAckPoint();
            _forwardTsnPending |= _rq.IsForwardTsnNeeded && _rq.AbandonedSinceLastForwardTsn;
        }

        if (_cookieEchoPending && _cookieEchoChunk is not null)
        {
            // RFC 9260 §5.1: COOKIE ECHO first in the packet.
            _cookieEchoPending = false;
            b.Append(_cookieEchoChunk, _outbox);
            if (_cookieErrorChunk is not null)
            {
                b.Append(_cookieErrorChunk, _outbox);
                _cookieErrorChunk = null;
            }
        }

        if (_cookieAckPending)
        {
            _cookieAckPending = false;
            b.Append([(byte)SctpChunkType.CookieAck, 0, 0, 4], _outbox);
        }

        var canSendData = _rq is not null && _state is SctpAssociationState.Established
            or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived;
        var dataLikely = canSendData && (_fastRetransmitPending || (_rq!.HasLost && _rq.CanRetransmit())
            || (!_sendQueue.IsEmpty && _rq.CanSendNew(1)));
        if (_sackNow || (_delayedAck.IsRunning && dataLikely))
        {
            WriteSack(b, scratch);
        }

        if (_forwardTsnPending && _rq is not null && _rq.IsForwardTsnNeeded)
        {
            _rq.AbandonedSinceLastForwardTsn = false;
            Span<ForwardTsnStream> streams = stackalloc ForwardTsnStream[MaxForwardTsnStreams];
            var n = _rq.FillForwardTsnStreams(streams);
            var chunk = new ForwardTsnChunk(_rq.AdvancedPeerAckPoint, streams[..n]);
            chunk.TryWrite(scratch, out var written);
            b.Append(scratch[..written], _outbox);
            _counters.ForwardTsnsSent++;
            _t3Rtx.EnsureRunning(_rto.Rto);
        }

        _forwardTsnPending = false;
        if (_reconfigRequestPending && _currentRequest is not null)
        {
            _reconfigRequestPending = false;
            WriteResetRequest(b, scratch);
        }

        foreach (var control in _controlChunks)
        {
            b.Append(control, _outbox);
        }

        _controlChunks.Clear();
        if (_shutdownPending)
        {
            _shutdownPending = false;
            new ShutdownChunk(_tracker.CumulativeTsn).TryWrite(scratch, out var n);
            b.Append(scratch[..n], _outbox);
        }

        if (_shutdownAckPending)
        {
            _shutdownAckPending = false;
            b.Append([(byte)SctpChunkType.ShutdownAck, 0, 0, 4], _outbox);
        }

        if (canSendData)
        {
            SendData(b, scratch);
        }

        b.Finish(_outbox);
    }

    private void WriteSack(SctpPacketBuilder b, Span<byte> scratch)
    {
        Span<GapAckBlock> gaps = stackalloc GapAckBlock[MaxGapAckBlocks];
        var gapCount = _tracker.FillGapAckBlocks(gaps);
        var dupCount = Math.Min(_duplicates.Count, MaxDuplicateTsnsReported);
        var room = _options.MaxPacketSize - SctpCommonHeader.Size;
        while (SackChunk.GetSize(gapCount, dupCount) > room)
        {
            if (dupCount > 0)
            {
                dupCount--;
            }
            else
            {
                gapCount--;
            }
        }

        Span<uint> dups = stackalloc uint[dupCount];
        for (var i = 0; i < dupCount; i++)
        {
            dups[i] = _duplicates[i];
        }

        var sack = new SackChunk(_tracker.CumulativeTsn, (uint)LocalReceiverWindow(), gaps[..gapCount], dups);
        sack.TryWrite(scratch, out var n);
        b.Append(scratch[..n], _outbox);
        _duplicates.Clear();
        _sackNow = false;
        _dataPacketsSinceSack = 0;
        _delayedAck.Stop();
        _counters.SacksSent++;
    }

    private void SendData(SctpPacketBuilder b, Span<byte> scratch)
    {
        var rq = _rq!;
        var now = Now;

        // Retransmissions first (RFC 9260 §6.1 C). A fast retransmit sends one packet regardless of cwnd (§7.2.4 3).
        var ignoreCwnd = _fastRetransmitPending;
        _fastRetransmitPending = false;
        var wroteIgnoringCwnd = false;
        while (rq.FirstLost() is { } lost)
        {
            var size = SctpChunk.Pad4(DataChunk.HeaderSize + lost.Length);
            if (size > b.Remaining)
            {
                b.Finish(_outbox);
                b.Begin(_peerTag);
                ignoreCwnd &= !wroteIgnoringCwnd;
            }

            if (!ignoreCwnd && !rq.CanRetransmit())
            {
                return;
            }

            wroteIgnoringCwnd |= ignoreCwnd;
            var message = lost.Message;
            new DataChunk(lost.Flags, lost.Tsn, message.StreamId, message.Ssn, message.Ppid, lost.Payload).TryWrite(b.Free, out var written);
            b.Advance(written);
            rq.MarkRetransmitted(lost, now);
            _counters.Retransmissions++;
            _counters.DataChunksSent++;
            _t3Rtx.EnsureRunning(_rto.Rto);
        }

        // New data, fragmented to fit (RFC 9260 §6.9), while cwnd and rwnd allow (§6.1).
        while (true)
        {
            if (!_sendQueue.TryPeek(_maxDataPayload, now, _expired, _lowWater, out var fragment))
            {
                break;
            }

            if (b.Remaining < DataChunk.HeaderSize + fragment)
            {
                // Fill the rest of this packet with a smaller fragment only if a useful amount fits.
                var room = b.Remaining - DataChunk.HeaderSize;
                if (room >= 256)
                {
                    fragment = room;
                }
                else
                {
                    b.Finish(_outbox);
                    b.Begin(_peerTag);
                }
            }

            if (!rq.CanSendNew(fragment))
            {
                break;
            }

            var message = _sendQueue.Take(fragment, _lowWater, out var offset, out var flags);
            var chunk = rq.AddSent(message, offset, fragment, flags, now);
            new DataChunk(flags, chunk.Tsn, message.StreamId, message.Ssn, message.Ppid, chunk.Payload).TryWrite(b.Free, out var written);
            b.Advance(written);
            _counters.DataChunksSent++;
            _t3Rtx.EnsureRunning(_rto.Rto);
        }

        _counters.AbandonedMessages += _expired.Count;
        _expired.Clear();
        foreach (var stream in _lowWater)
        {
            var s = stream;
            RaiseEvent(() => BufferedAmountLow?.Invoke(s));
        }

        _lowWater.Clear();
    }

    // ------------------------------------------------------------------ heartbeat, error, shutdown

    private void HandleHeartbeatAck(ReadOnlySpan<byte> info)
    {
        if (info.Length != 16 || !_heartbeatOutstanding || BinaryPrimitives.ReadUInt64BigEndian(info) != _heartbeatNonce)
        {
            return;
        }

        _heartbeatOutstanding = false;
        _errorCount = 0;
        var sentAt = TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(info[8..]));
        _rto.Observe(Now - sentAt);
    }

    private void HandleError(ReadOnlySpan<byte> causes)
    {
        _counters.ErrorsReceived++;
        while (!causes.IsEmpty && SctpErrorCause.TryRead(causes, out var cause, out var used))
        {
            causes = causes[used..];
            if (cause.Code == SctpErrorCauseCode.StaleCookie && _state == SctpAssociationState.CookieEchoed)
            {
                // RFC 9260 §5.2.6: start over with a fresh INIT.
                _t1Cookie.Stop();
                _localTag = NewTag();
                _localInitialTsn = NewTag();
                _peerTag = 0;
                _initChunk = BuildInit(isAck: false, _localTag, _localInitialTsn, [], []);
                SendStandalone(0, _initChunk);
                _t1Init.Restarts = 0;
                _t1Init.Start(_options.RtoInitial);
                SetState(SctpAssociationState.CookieWait);
            }
            else if (cause.Code == SctpErrorCauseCode.UnrecognizedChunkType && !cause.Information.IsEmpty
                && cause.Information[0] == (byte)SctpChunkType.ReConfig)
            {
                _peerSupportsReConfig = false;
            }
        }
    }

    private void HandleShutdown(uint cumulativeTsnAck)
    {
        switch (_state)
        {
            case SctpAssociationState.Established:
            case SctpAssociationState.ShutdownPending:
                if (_rq is not null)
                {
                    AfterAck(_rq.HandleCumulativeAck(cumulativeTsnAck, Now));
                }

                SetState(SctpAssociationState.ShutdownReceived);
                CheckShutdownProgress();
                break;
            case SctpAssociationState.ShutdownSent:
                SetState(SctpAssociationState.ShutdownAckSent);
                _shutdownAckPending = true;
                _t2Shutdown.Start(_rto.Rto);
                break;
            case SctpAssociationState.ShutdownAckSent:
                _shutdownAckPending = true;
                break;
        }
    }

    private void CheckShutdownProgress()
    {
        var drained = _sendQueue.IsEmpty && !(_rq?.HasOutstanding ?? false);
        if (_state == SctpAssociationState.ShutdownPending && drained)
        {
            SetState(SctpAssociationState.ShutdownSent);
            _shutdownPending = true;
            _t2Shutdown.Restarts = 0;
            _t2Shutdown.Start(_rto.Rto);
        }
        else if (_state == SctpAssociationState.ShutdownReceived && drained)
        {
            SetState(SctpAssociationState.ShutdownAckSent);
            _shutdownAckPending = true;
            _t2Shutdown.Restarts = 0;
            _t2Shutdown.Start(_rto.Rto);
        }
    }

    // ------------------------------------------------------------------ stream reset (RFC 6525)

    private bool MaybeStartStreamReset()
    {
        if (_currentRequest is not null || _streamsToReset.Count == 0 || _rq is null || _state != SctpAssociationState.Established)
        {
            return false;
        }

        if (!_peerSupportsReConfig)
        {
            var all = _streamsToReset.ToArray();
            _streamsToReset.Clear();
            foreach (var s in all)
            {
                _sendQueue.ResetSequenceNumber(s);
            }

            RaiseEvent(() => OutgoingStreamsReset?.Invoke(all));
            return false;
        }

        List<ushort>? ready = null;
        for (var i = _streamsToReset.Count - 1; i >= 0; i--)
        {
            var s = _streamsToReset[i];
            if (_sendQueue.IsDrained(s))
            {
                (ready ??= []).Add(s);
                _streamsToReset.RemoveAt(i);
            }
        }

        if (ready is null)
        {
            return false;
        }

        ready.Sort();
        foreach (var s in ready)
        {
            _sendQueue.Pause(s);
        }

        _currentRequest = new ResetRequest(_nextRequestSeq++, _rq.NextTsn - 1, [.. ready]);
        _reconfigRequestPending = true;
        _reconfigTimer.Start(_rto.Rto);
        return true;
    }

    private void WriteResetRequest(SctpPacketBuilder b, Span<byte> scratch)
    {
        var request = _currentRequest!;
        Span<byte> parameter = stackalloc byte[OutgoingSsnResetRequestParameter.HeaderSize + (request.Streams.Length * 2) + 2];
        new OutgoingSsnResetRequestParameter(request.Sequence, _peerNextRequestSeq - 1, request.LastTsn, request.Streams).TryWrite(parameter, out var n);
        var chunk = new ReConfigChunk(parameter[..n]);
        if (chunk.GetSize() > scratch.Length)
        {
            return;
        }

        chunk.TryWrite(scratch, out var written);
        b.Append(scratch[..written], _outbox);
        _counters.StreamResetRequestsSent++;
    }

    private void HandleReConfig(ReadOnlySpan<byte> parameters)
    {
        if (_state is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending
                or SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownReceived))
        {
            return;
        }

        while (!parameters.IsEmpty)
        {
            SctpParameter.TryRead(parameters, out var p, out var used);
            var raw = parameters[..used];
            parameters = parameters[used..];
            switch ((SctpParameterType)p.Type)
            {
                case SctpParameterType.OutgoingSsnResetRequest:
                    if (OutgoingSsnResetRequestParameter.TryRead(raw, out var outgoing, out _))
                    {
                        HandleOutgoingResetRequest(outgoing);
                    }

                    break;
                case SctpParameterType.ReconfigurationResponse:
                    if (ReconfigurationResponseParameter.TryRead(raw, out var response, out _))
                    {
                        HandleReconfigResponse(response);
                    }

                    break;
                case SctpParameterType.IncomingSsnResetRequest:
                case SctpParameterType.SsnTsnResetRequest:
                case SctpParameterType.AddOutgoingStreamsRequest:
                case SctpParameterType.AddIncomingStreamsRequest:
                    // Not offered by WebRTC peers: answer Denied (RFC 6525 §5.2.3–5.2.6 permit it).
                    if (p.Value.Length >= 4)
                    {
                        var seq = BinaryPrimitives.ReadUInt32BigEndian(p.Value);
                        if (ValidateRequestSequence(seq))
                        {
                            _peerNextRequestSeq++;
                            _lastPeerRequestResult = ReconfigurationResult.Denied;
                            QueueReconfigResponse(seq, ReconfigurationResult.Denied);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>RFC 6525 §5.2.2. Returns false (and answers) when the sequence number is not the expected one.</summary>
    private bool ValidateRequestSequence(uint seq)
    {
        if (seq == _peerNextRequestSeq)
        {
            return true;
        }

        // A retransmission of the last request gets the same answer again; anything else is out of sequence.
        QueueReconfigResponse(seq, seq == _peerNextRequestSeq - 1 ? _lastPeerRequestResult : ReconfigurationResult.ErrorBadSequenceNumber);
        return false;
    }

    private void HandleOutgoingResetRequest(in OutgoingSsnResetRequestParameter request)
    {
        _counters.StreamResetRequestsReceived++;
        var seq = request.RequestSequenceNumber;
        if (!ValidateRequestSequence(seq))
        {
            return;
        }

        _peerNextRequestSeq++;
        var streams = new ushort[request.StreamCount];
        for (var i = 0; i < streams.Length; i++)
        {
            streams[i] = request.GetStream(i);
        }

        var reset = new ResetRequest(seq, request.SenderLastAssignedTsn, streams);
        if (_completedDeferredReset is { } done && done.LastTsn == reset.LastTsn && done.Streams.AsSpan().SequenceEqual(streams))
        {
            // A retry (new sequence number) of a request we already carried out after deferring it.
            _completedDeferredReset = null;
            _lastPeerRequestResult = ReconfigurationResult.SuccessPerformed;
        }
        else if (SerialNumber.Gt(reset.LastTsn, _tracker.CumulativeTsn))
        {
            // E2: not all data before the reset has arrived: defer, answer In progress; the peer asks again.
            _deferredReset = reset;
            _lastPeerRequestResult = ReconfigurationResult.InProgress;
        }
        else
        {
            PerformIncomingReset(reset);
            _lastPeerRequestResult = ReconfigurationResult.SuccessPerformed;
        }

        QueueReconfigResponse(seq, _lastPeerRequestResult);
    }

    private void CheckDeferredReset()
    {
        if (_deferredReset is { } d && SerialNumber.Ge(_tracker.CumulativeTsn, d.LastTsn))
        {
            _deferredReset = null;
            _completedDeferredReset = d;
            PerformIncomingReset(d);
        }
    }

    private void PerformIncomingReset(ResetRequest reset)
    {
        DeliverMessages();
        _reassembly.ResetStreams(reset.Streams);
        var streams = reset.Streams;
        RaiseEvent(() => IncomingStreamsReset?.Invoke(streams));
    }

    private void HandleReconfigResponse(ReconfigurationResponseParameter response)
    {
        if (_currentRequest is not { } request || response.ResponseSequenceNumber != request.Sequence)
        {
            return;
        }

        switch (response.Result)
        {
            case ReconfigurationResult.InProgress:
                // Ask again after an RTO, with a new request sequence number.
                request.NeedsNewSequence = true;
                _reconfigTimer.Start(_rto.Rto);
                return;
            case ReconfigurationResult.SuccessPerformed:
            case ReconfigurationResult.SuccessNothingToDo:
                foreach (var s in request.Streams)
                {
                    _sendQueue.ResetSequenceNumber(s);
                }

                break;
        }

        _reconfigTimer.Stop();
        _currentRequest = null;
        foreach (var s in request.Streams)
        {
            _sendQueue.Resume(s);
        }

        var streams = request.Streams;
        RaiseEvent(() => OutgoingStreamsReset?.Invoke(streams));
        MaybeStartStreamReset();
    }

    private void QueueReconfigResponse(uint seq, ReconfigurationResult result)
    {
        Span<byte> parameter = stackalloc byte[ReconfigurationResponseParameter.Size];
        new ReconfigurationResponseParameter(seq, result).TryWrite(parameter, out _);
        var chunk = new ReConfigChunk(parameter);
        var bytes = new byte[chunk.GetSize()];
        chunk.TryWrite(bytes, out _);
        _controlChunks.Add(bytes);
    }

    // ------------------------------------------------------------------ timers

    private void OnT1InitExpired()
    {
        if (_state != SctpAssociationState.CookieWait || _initChunk is null)
        {
            return;
        }

        if (++_initRetransmits > _options.MaxInitRetransmits)
        {
            Terminate(SctpCloseReason.InitFailed, "INIT unanswered");
            return;
        }

        SendStandalone(0, _initChunk);
        _t1Init.Start(Backoff(_options.RtoInitial, ++_t1Init.Restarts));
    }

    private void OnT1CookieExpired()
    {
        if (_state != SctpAssociationState.CookieEchoed)
        {
            return;
        }

        if (++_initRetransmits > _options.MaxInitRetransmits)
        {
            Terminate(SctpCloseReason.InitFailed, "COOKIE ECHO unanswered");
            return;
        }

        _cookieEchoPending = true;
        _t1Cookie.Start(Backoff(_rto.Rto, ++_t1Cookie.Restarts));
        Transmit();
    }

    private void OnT2ShutdownExpired()
    {
        if (_state is not (SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent))
        {
            return;
        }

        if (++_errorCount > _options.MaxRetransmissions)
        {
            AbortAndClose(SctpErrorCauseCode.ProtocolViolation, [], SctpCloseReason.PeerUnreachable, "shutdown unanswered");
            return;
        }

        if (_state == SctpAssociationState.ShutdownSent)
        {
            _shutdownPending = true;
        }
        else
        {
            _shutdownAckPending = true;
        }

        _t2Shutdown.Start(Backoff(_rto.Rto, ++_t2Shutdown.Restarts));
        Transmit();
    }

    private void OnT3RtxExpired()
    {
        if (_rq is null || !_rq.HasOutstanding || _state is SctpAssociationState.Closed)
        {
            return;
        }

        _counters.RetransmissionTimeouts++;
        if (++_errorCount > _options.MaxRetransmissions)
        {
            AbortAndClose(SctpErrorCauseCode.ProtocolViolation, "retransmissions exhausted"u8, SctpCloseReason.PeerUnreachable, "retransmissions exhausted");
            return;
        }

        // RFC 9260 §6.3.3 E1–E3.
        _rto.Backoff();
        _rq.HandleRetransmissionTimeout();
        _counters.AbandonedMessages += _rq.AbandonExhausted(Now);
        _rq.UpdateAdvancedPeerAckPoint();
        if (_rq.IsForwardTsnNeeded)
        {
            _forwardTsnPending = true;
        }

        Transmit();
        if (_rq.HasOutstanding)
        {
            _t3Rtx.Start(_rto.Rto);
        }
    }

    private void OnDelayedAckExpired()
    {
        if (_state == SctpAssociationState.Closed)
        {
            return;
        }

        _sackNow = true;
        Transmit();
    }

    private void OnReconfigTimerExpired()
    {
        if (_currentRequest is not { } request || _state == SctpAssociationState.Closed)
        {
            return;
        }

        if (request.NeedsNewSequence)
        {
            request.NeedsNewSequence = false;
            request.Sequence = _nextRequestSeq++;
        }
        else if (++_errorCount > _options.MaxRetransmissions)
        {
            AbortAndClose(SctpErrorCauseCode.ProtocolViolation, [], SctpCloseReason.PeerUnreachable, "RE-CONFIG unanswered");
            return;
        }

        _reconfigRequestPending = true;
        _reconfigTimer.Start(_rto.Rto);
        Transmit();
    }

    private void OnHeartbeatTimerExpired()
    {
        if (_state != SctpAssociationState.Established || _options.HeartbeatInterval is not { } interval)
        {
            return;
        }

        if (_heartbeatOutstanding && ++_errorCount > _options.MaxRetransmissions)
        {
            AbortAndClose(SctpErrorCauseCode.ProtocolViolation, [], SctpCloseReason.PeerUnreachable, "heartbeats unanswered");
            return;
        }

        // RFC 9260 §8.3: probe an idle path only; data in flight already measures it.
        if (!(_rq?.HasOutstanding ?? false))
        {
            _heartbeatNonce = NewNonce();
            Span<byte> info = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(info, _heartbeatNonce);
            BinaryPrimitives.WriteInt64BigEndian(info[8..], Now.Ticks);
            var chunk = new HeartbeatChunk(false, info);
            var bytes = new byte[chunk.GetSize()];
            chunk.TryWrite(bytes, out _);
            _controlChunks.Add(bytes);
            _heartbeatOutstanding = true;
            _counters.HeartbeatsSent++;
            Transmit();
        }

        _heartbeatTimer.Start(interval + _rto.Rto);
    }

    private TimeSpan Backoff(TimeSpan initial, int restarts)
    {
        var value = initial * Math.Pow(2, Math.Min(restarts, 16));
        return value > _options.RtoMax ? _options.RtoMax : value;
    }

    // ------------------------------------------------------------------ output, events, teardown

    private void QueueError(SctpErrorCauseCode code, ReadOnlySpan<byte> information)
    {
        Span<byte> cause = stackalloc byte[SctpChunk.Pad4(SctpErrorCause.HeaderSize + information.Length)];
        new SctpErrorCause(code, information).TryWrite(cause, out var n);
        var chunk = new ErrorChunk(cause[..n]);
        var bytes = new byte[chunk.GetSize()];
        chunk.TryWrite(bytes, out _);
        _controlChunks.Add(bytes);
    }

    private void SendAbort(uint tag, SctpErrorCauseCode code, ReadOnlySpan<byte> information)
    {
        information = information[..Math.Min(information.Length, 512)];
        Span<byte> cause = stackalloc byte[SctpChunk.Pad4(SctpErrorCause.HeaderSize + information.Length)];
        new SctpErrorCause(code, information).TryWrite(cause, out var n);
        Span<byte> chunk = stackalloc byte[SctpChunk.HeaderSize + cause.Length];
        new AbortChunk(false, cause[..n]).TryWrite(chunk, out var written);
        SendStandalone(tag, chunk[..written]);
    }

    private void AbortAndClose(SctpErrorCauseCode code, ReadOnlySpan<byte> information, SctpCloseReason reason, string detail)
    {
        if (_peerTag != 0)
        {
            SendAbort(_peerTag, code, information);
        }

        Terminate(reason, detail);
    }

    private void SendStandalone(uint tag, ReadOnlySpan<byte> chunk)
    {
        var b = new SctpPacketBuilder(_options.MaxPacketSize, _options.LocalPort, _options.RemotePort);
        b.Begin(tag);
        if (b.Append(chunk, _outbox))
        {
            b.Finish(_outbox);
        }
        else
        {
            b.Discard();
        }
    }

    private void Terminate(SctpCloseReason reason, string detail)
    {
        if (_state == SctpAssociationState.Closed && _terminated)
        {
            return;
        }

        SetState(SctpAssociationState.Closed);
        _terminated = true;
        _t1Init.Stop();
        _t1Cookie.Stop();
        _t2Shutdown.Stop();
        _t3Rtx.Stop();
        _delayedAck.Stop();
        _reconfigTimer.Stop();
        _heartbeatTimer.Stop();
        _sendQueue.Clear();
        _rq?.Clear();
        _controlChunks.Clear();
        _streamsToReset.Clear();
        _currentRequest = null;
        RaiseEvent(() => Closed?.Invoke(reason, detail));
    }

    private void SetState(SctpAssociationState state) => _state = state;

    private void RaiseEvent(Action action) => _events.Enqueue(action);

    /// <summary>
    /// Sends queued packets and raises queued events outside the lock. Only one thread drains at a time; others
    /// (including re-entrant calls from event handlers) leave their work for it.
    /// </summary>
    private void Flush()
    {
        lock (_gate)
        {
            if (_flushing)
            {
                return;
            }

            _flushing = true;
        }

        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_outbox.Count == 0 && _events.Count == 0)
                    {
                        _flushing = false;
                        return;
                    }

                    _sending.AddRange(_outbox);
                    _outbox.Clear();
                    _counters.PacketsSent += _sending.Count;
                    while (_events.TryDequeue(out var e))
                    {
                        _raising.Add(e);
                    }
                }

                try
                {
                    foreach (var packet in _sending)
                    {
                        _sender.Send(packet.Buffer.AsSpan(0, packet.Length));
                    }
                }
                finally
                {
                    foreach (var packet in _sending)
                    {
                        ArrayPool<byte>.Shared.Return(packet.Buffer);
                    }

                    _sending.Clear();
                }

                try
                {
                    foreach (var e in _raising)
                    {
                        e();
                    }
                }
                finally
                {
                    _raising.Clear();
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                _flushing = false;
            }

            throw;
        }
    }

    private long LocalReceiverWindow() => Math.Max(0, _options.ReceiveBufferSize - _reassembly.BufferedBytes);

    private uint NewTag()
    {
        if (_random is not null)
        {
            return (uint)_random.NextInt64(1, uint.MaxValue);
        }

        Span<byte> bytes = stackalloc byte[4];
        uint value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
        while (value == 0);
        return value;
    }

    private ulong NewNonce() => ((ulong)NewTag() << 32) | NewTag();

    private static string DescribeCauses(ReadOnlySpan<byte> causes)
    {
        if (!SctpErrorCause.TryRead(causes, out var cause, out _))
        {
            return "ABORT";
        }

        return cause.Code is SctpErrorCauseCode.UserInitiatedAbort or SctpErrorCauseCode.ProtocolViolation && !cause.Information.IsEmpty
            ? $"ABORT: {cause.Code}: {Encoding.UTF8.GetString(cause.Information[..Math.Min(cause.Information.Length, 256)])}"
            : $"ABORT: {cause.Code}";
    }

    private enum ChunkResult
    {
        Continue,
        StopPacket,
        Malformed,
    }

    /// <summary>An outgoing SSN reset request (ours) or an incoming one (the peer's, when deferred).</summary>
    private sealed class ResetRequest(uint sequence, uint lastTsn, ushort[] streams)
    {
        public uint Sequence { get; set; } = sequence;

        public uint LastTsn { get; } = lastTsn;

        public ushort[] Streams { get; } = streams;

        public bool NeedsNewSequence { get; set; }
    }
}
