using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace Starling.Transport.Dtls;

/// <summary>
/// Server role of a WebRTC DTLS 1.2 association (RFC 6347, RFC 5764, RFC 8827), built on BouncyCastle's
/// blocking <see cref="DtlsServerProtocol"/>.
/// </summary>
/// <remarks>
/// <para>Threads: one dedicated long-running thread per session runs the handshake and then the receive loop;
/// it ends when the session closes or fails. <see cref="HandleDatagram"/> only queues records and never blocks.</para>
/// <para>Locks: during the handshake the thread owns BouncyCastle alone (application sends are refused until
/// <see cref="DtlsSessionState.Connected"/>). Afterwards every call into BouncyCastle's record layer
/// (receive, send, close) runs under <c>_gate</c>, because its epoch and sequence state is not thread-safe
/// and a retransmitted final flight is written from inside receive. The loop waits for records outside the
/// lock. Outgoing datagrams go to the <see cref="IDatagramSender"/> under that lock: it must not block
/// (ICE's datagram senders queue or send on non-blocking sockets).</para>
/// <para>Time: the handshake timeout runs on the injected <see cref="TimeProvider"/>; BouncyCastle's own
/// retransmission timers (1 s initial, doubling to 60 s) use the real clock and cannot be injected.</para>
/// </remarks>
internal sealed class DtlsServerSession : IDtlsSession
{
    // Lock order: _gate (BouncyCastle record layer) before _stateGate (state fields); never the reverse.
    private readonly object _gate = new();
    private readonly object _stateGate = new();
    private readonly DtlsQueueTransport _transport;
    private readonly DtlsSrtpTlsServer _server;
    private readonly DtlsOptions _options;
    private readonly TimeProvider _timeProvider;
    private DtlsSessionState _state = DtlsSessionState.New;
    private DtlsFailure? _failure;
    private DtlsHandshakeResult? _result;
    private DtlsTransport? _dtls;
    private byte[] _sendBuffer = [];
    private ITimer? _handshakeTimer;
    private Task _completion = Task.CompletedTask;
    private int _loopThreadId;

    public DtlsServerSession(
        DtlsCertificate certificate,
        DtlsFingerprint remoteFingerprint,
        IDatagramSender sender,
        TimeProvider? timeProvider = null,
        DtlsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(remoteFingerprint);
        ArgumentNullException.ThrowIfNull(sender);
        _options = options ?? DtlsOptions.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _transport = new DtlsQueueTransport(sender, _options.Mtu, _options.MaxDatagramSize, _options.MaxQueuedRecords);
        _server = new DtlsSrtpTlsServer(certificate, remoteFingerprint, _options);
    }

    public event Action<DtlsHandshakeResult>? HandshakeCompleted;

    public event DtlsApplicationDataHandler? ApplicationDataReceived;

    public event Action<DtlsFailure>? Failed;

    public event Action? Closed;

    public DtlsSessionState State
    {
        get
        {
            lock (_stateGate)
            {
                return _state;
            }
        }
    }

    public DtlsHandshakeResult? HandshakeResult
    {
        get
        {
            lock (_stateGate)
            {
                return _result;
            }
        }
    }

    public DtlsFailure? Failure
    {
        get
        {
            lock (_stateGate)
            {
                return _failure;
            }
        }
    }

    public int MaxApplicationDataSize
    {
        get
        {
            lock (_gate)
            {
                return _sendBuffer.Length;
            }
        }
    }

    /// <summary>Incoming records dropped because the session's queue was full (see <see cref="DtlsOptions.MaxQueuedRecords"/>).</summary>
    public long DroppedRecords => _transport.DroppedRecords;

    public Task Completion
    {
        get
        {
            lock (_stateGate)
            {
                return _completion;
            }
        }
    }

    public void Start()
    {
        lock (_stateGate)
        {
            if (_state != DtlsSessionState.New)
            {
                throw new InvalidOperationException($"the DTLS session was already started (state {_state})");
            }

            _state = DtlsSessionState.Handshaking;
            _handshakeTimer = _timeProvider.CreateTimer(
                static state => ((DtlsServerSession)state!).OnHandshakeTimeout(), this, _options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
            _completion = Task.Factory.StartNew(
                Run, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        }
    }

    public void HandleDatagram(ReadOnlySpan<byte> datagram)
    {
        // One queue item per record keeps BouncyCastle's receive loop in step with the queue; anything that
        // does not look like a DTLS record is dropped here rather than handed to the stack.
        while (DtlsRecordHeader.TryReadRecord(datagram, out var recordLength))
        {
            _transport.Enqueue(datagram[..recordLength]);

            datagram = datagram[recordLength..];
        }
    }

    public bool SendApplicationData(ReadOnlySpan<byte> data)
    {
        Exception? error = null;
        lock (_gate)
        {
            if (_dtls is null || data.Length > _sendBuffer.Length || State != DtlsSessionState.Connected)
            {
                return false;
            }

            data.CopyTo(_sendBuffer);
            try
            {
                _dtls.Send(_sendBuffer, 0, data.Length);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        }

        if (error is not null)
        {
            Fail(DescribeFailure(error, "sending application data failed"));
            return false;
        }

        return true;
    }

    void IDatagramSender.Send(ReadOnlySpan<byte> datagram) => SendApplicationData(datagram);

    public void Close()
    {
        lock (_stateGate)
        {
            if (_state is DtlsSessionState.Closed or DtlsSessionState.Failed)
            {
                return;
            }

            _state = DtlsSessionState.Closed;
        }

        _handshakeTimer?.Dispose();
        lock (_gate)
        {
            try
            {
                _dtls?.Close(); // close_notify, then closes the transport
            }
            catch (Exception)
            {
                // Best effort: the peer also learns about the close from ICE consent expiry.
            }
        }

        _transport.Close();
        Closed?.Invoke();
    }

    /// <summary>Closes the session and waits (up to 5 s) for its thread to exit, unless called from that thread.</summary>
    public void Dispose()
    {
        Close();
        Task completion;
        lock (_stateGate)
        {
            completion = _completion;
        }

        if (!completion.IsCompleted && Environment.CurrentManagedThreadId != Volatile.Read(ref _loopThreadId))
        {
            // Only waits; a fault (an event handler that threw while reporting) is not rethrown from Dispose.
            completion.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .Wait(TimeSpan.FromSeconds(5));
        }
    }

    private void Run()
    {
        Volatile.Write(ref _loopThreadId, Environment.CurrentManagedThreadId);
        try
        {
            var dtls = Handshake();
            if (dtls is not null)
            {
                ReceiveLoop(dtls);
            }
        }
        catch (Exception ex)
        {
            // Only event handlers can get here; the session cannot continue without them.
            Fail(new DtlsFailure(DtlsFailureReason.InternalError, $"a DTLS session event handler threw: {ex.Message}", ex));
        }
    }

    private DtlsTransport? Handshake()
    {
        DtlsTransport dtls;
        try
        {
            dtls = new DtlsServerProtocol(new SecureRandom()).Accept(_server, _transport);
        }
        catch (Exception ex)
        {
            Fail(DescribeFailure(ex, "DTLS handshake failed"));
            return null;
        }

        _handshakeTimer?.Dispose();
        var result = _server.Result!;
        lock (_gate)
        {
            _dtls = dtls;
            _sendBuffer = new byte[dtls.GetSendLimit()];
        }

        bool connected;
        lock (_stateGate)
        {
            connected = _state == DtlsSessionState.Handshaking;
            if (connected)
            {
                _state = DtlsSessionState.Connected;
                _result = result;
            }
        }

        if (!connected)
        {
            // Closed or timed out while the final flight was being processed.
            lock (_gate)
            {
                dtls.Close();
            }

            return null;
        }

        HandshakeCompleted?.Invoke(result);
        return dtls;
    }

    private void ReceiveLoop(DtlsTransport dtls)
    {
        var buffer = new byte[_options.MaxDatagramSize];
        while (_transport.WaitForData())
        {
            int received;
            try
            {
                lock (_gate)
                {
                    // A record is queued: BouncyCastle returns application data at once; after other records
                    // (alerts, a retransmitted client flight, which it answers) it waits at most 1 ms for more.
                    received = dtls.Receive(buffer, 0, buffer.Length, 1);
                }
            }
            catch (Exception ex)
            {
                OnReceiveStopped(ex);
                return;
            }

            if (received > 0)
            {
                ApplicationDataReceived?.Invoke(buffer.AsSpan(0, received));
            }
        }

        OnReceiveStopped(null);
    }

    private void OnReceiveStopped(Exception? error)
    {
        if (_server.CloseNotifyReceived)
        {
            // The peer closed; BouncyCastle already answered with its own close_notify.
            lock (_stateGate)
            {
                if (_state != DtlsSessionState.Connected)
                {
                    return;
                }

                _state = DtlsSessionState.Closed;
            }

            _transport.Close();
            Closed?.Invoke();
            return;
        }

        if (error is not null)
        {
            Fail(DescribeFailure(error, "DTLS receive failed"));
        }
    }

    private void OnHandshakeTimeout()
    {
        lock (_stateGate)
        {
            if (_state != DtlsSessionState.Handshaking)
            {
                return;
            }
        }

        Fail(new DtlsFailure(
            DtlsFailureReason.HandshakeTimeout,
            $"the DTLS handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.#} s"));
    }

    private void Fail(DtlsFailure failure)
    {
        lock (_stateGate)
        {
            if (_state is DtlsSessionState.Closed or DtlsSessionState.Failed)
            {
                return;
            }

            _state = DtlsSessionState.Failed;
            _failure = failure;
        }

        _handshakeTimer?.Dispose();
        _transport.Close();
        Failed?.Invoke(failure);
    }

    private DtlsFailure DescribeFailure(Exception error, string context)
    {
        if (_server.PolicyFailure is { } policy)
        {
            return new DtlsFailure(policy.Reason, policy.Message, error);
        }

        if (_server.FatalAlertReceived is { } received)
        {
            return new DtlsFailure(
                DtlsFailureReason.AlertReceived,
                $"{context}: the peer sent fatal alert {AlertDescription.GetText(received)}",
                error);
        }

        var alert = error is TlsFatalAlert fatal ? fatal.AlertDescription : _server.FatalAlertRaised;
        var detail = alert is { } description ? $"alert {AlertDescription.GetText(description)}" : error.Message;
        var cause = error.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : string.Empty;
        return new DtlsFailure(DtlsFailureReason.ProtocolError, $"{context}: {detail}{cause}", error);
    }
}
