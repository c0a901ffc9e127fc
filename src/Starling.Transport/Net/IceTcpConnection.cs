using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Starling.Transport.Ice;
using Starling.Wire;

namespace Starling.Transport.Net;

/// <summary>
/// One accepted passive ICE-TCP connection (RFC 6544) carrying RFC 4571-framed STUN, DTLS and SRTP. Its first frame
/// must be a STUN check naming a registered ufrag; once that agent accepts a check, the connection is a pair of the
/// agent and every later frame goes to it. Anything else — a non-STUN first frame, an unknown ufrag, a frame longer
/// than <see cref="IceTcpOptions.MaxFrameLength"/>, no valid check within <see cref="IceTcpOptions.BindTimeout"/> —
/// closes this connection only.
/// <para>
/// Sending never blocks: <see cref="Send"/> frames the datagram into a bounded ring that a writer task drains into the
/// stream; when the ring is full the datagram is dropped, as on UDP. Receive uses one pooled buffer per connection.
/// </para>
/// </summary>
internal sealed class IceTcpConnection : IIceChannel
{
    private readonly Stream _stream;
    private readonly IceAgentRegistry _registry;
    private readonly IceTcpOptions _options;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _sendGate = new();
    private readonly byte[] _sendRing;
    private readonly SemaphoreSlim _sendSignal = new(0, 1);
    private readonly ITimer _bindTimer;
    private int _sendHead;
    private int _sendCount;
    private bool _writerSignaled;
    private volatile IceAgent? _agent;
    private int _rejected;
    private int _closeReason;
    private long _sendDropped;

    public IceTcpConnection(Stream stream, SocketAddress remoteAddress, IceAgentRegistry registry, IceTcpOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _stream = stream;
        _registry = registry;
        _options = options;
        RemoteAddress = SocketAddressHelper.Clone(remoteAddress);
        _sendRing = new byte[options.SendBufferBytes];
        _bindTimer = timeProvider.CreateTimer(static state => ((IceTcpConnection)state!).OnBindTimeout(), this, options.BindTimeout, Timeout.InfiniteTimeSpan);
    }

    public IceProtocol Protocol => IceProtocol.Tcp;

    public SocketAddress RemoteAddress { get; }

    /// <summary>The agent this connection belongs to, once a check was accepted.</summary>
    public IceAgent? Agent => _agent;

    public IceTcpCloseReason CloseReason => (IceTcpCloseReason)Volatile.Read(ref _closeReason);

    /// <summary>Datagrams dropped because the send ring was full or the connection closed.</summary>
    public long SendDropped => Interlocked.Read(ref _sendDropped);

    /// <summary>Reads and writes until the connection closes, then releases the stream.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var writer = WriteLoopAsync(linked.Token);
        try
        {
            await ReadLoopAsync(linked.Token).ConfigureAwait(false);
        }
        finally
        {
            Close(IceTcpCloseReason.Closed);
            await writer.ConfigureAwait(false);
            await _bindTimer.DisposeAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Frames and queues one datagram; dropped when it does not fit or the connection is closed.</summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        var frameSize = Rfc4571Framing.GetSize(datagram.Length);
        bool signal;
        lock (_sendGate)
        {
            if (datagram.Length > Rfc4571Framing.MaxPayload || CloseReason != IceTcpCloseReason.None
                || _sendRing.Length - _sendCount < frameSize)
            {
                Interlocked.Increment(ref _sendDropped);
                return;
            }

            Span<byte> header = stackalloc byte[Rfc4571Framing.HeaderSize];
            BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)datagram.Length);
            Enqueue(header);
            Enqueue(datagram);
            signal = !_writerSignaled;
            _writerSignaled = true;
        }

        if (signal)
        {
            _sendSignal.Release();
        }
    }

    public void Close() => Close(IceTcpCloseReason.Closed);

    public override string ToString() => $"tcp {SocketAddressHelper.Format(RemoteAddress)}";

    private void Close(IceTcpCloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, (int)IceTcpCloseReason.None) == (int)IceTcpCloseReason.None)
        {
            _closing.Cancel();
        }
    }

    private void OnBindTimeout()
    {
        if (_agent is null)
        {
            Close(IceTcpCloseReason.BindTimeout);
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Rfc4571Framing.GetSize(_options.MaxFrameLength));
        try
        {
            var start = 0;
            var end = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await _stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (IOException)
                {
                    Close(IceTcpCloseReason.IOError);
                    return;
                }

                if (read == 0)
                {
                    Close(IceTcpCloseReason.EndOfStream);
                    return;
                }

                end += read;
                while (Rfc4571Framing.TryPeekLength(buffer.AsSpan(start, end - start), out var length))
                {
                    if (length > _options.MaxFrameLength)
                    {
                        Close(IceTcpCloseReason.MalformedFrame);
                        return;
                    }

                    if (!Rfc4571Framing.TryRead(buffer.AsSpan(start, end - start), out var frame, out var consumed))
                    {
                        break;
                    }

                    start += consumed;
                    if (!frame.IsEmpty && !HandleFrame(frame))
                    {
                        return;
                    }
                }

                // Keep the partial frame at the front: the buffer always has room to complete it.
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Handles one frame; false when the connection was closed because of it.</summary>
    private bool HandleFrame(ReadOnlySpan<byte> frame)
    {
        var agent = _agent;
        if (agent is not null)
        {
            agent.Receive(this, frame);
            if (agent.State == IceConnectionState.Closed)
            {
                Close(IceTcpCloseReason.Closed);
                return false;
            }

            return true;
        }

        if (PacketClassifier.Classify(frame) != PacketKind.Stun || !_registry.TryResolve(frame, out agent))
        {
            Close(IceTcpCloseReason.NotIce);
            return false;
        }

        switch (agent.Receive(this, frame))
        {
            case IceReceiveResult.Accepted:
                _agent = agent;
                _bindTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return true;
            case IceReceiveResult.Rejected when ++_rejected <= _options.MaxRejectedBeforeBind:
                return true;
            case IceReceiveResult.Rejected:
                Close(IceTcpCloseReason.TooManyRejected);
                return false;
            default:
                Close(IceTcpCloseReason.NotIce);
                return false;
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _sendSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                while (TryPeekQueued(out var offset, out var count))
                {
                    await _stream.WriteAsync(_sendRing.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);
                    lock (_sendGate)
                    {
                        _sendHead = (_sendHead + count) % _sendRing.Length;
                        _sendCount -= count;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (IOException)
        {
            Close(IceTcpCloseReason.IOError);
        }
    }

    /// <summary>The next contiguous run of queued bytes; false (and the writer goes idle) when the ring is empty.</summary>
    private bool TryPeekQueued(out int offset, out int count)
    {
        lock (_sendGate)
        {
            offset = _sendHead;
            count = Math.Min(_sendCount, _sendRing.Length - _sendHead);
            if (count == 0)
            {
                _writerSignaled = false;
                return false;
            }

            return true;
        }
    }

    private void Enqueue(ReadOnlySpan<byte> data)
    {
        var tail = (_sendHead + _sendCount) % _sendRing.Length;
        var first = Math.Min(data.Length, _sendRing.Length - tail);
        data[..first].CopyTo(_sendRing.AsSpan(tail));
        data[first..].CopyTo(_sendRing);
        _sendCount += data.Length;
    }
}
