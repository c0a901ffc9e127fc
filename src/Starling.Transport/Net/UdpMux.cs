using Starling.Wire.Diagnostics;
using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Starling.Transport.Ice;
using Starling.Wire;

namespace Starling.Transport.Net;

/// <summary>
/// Every session's ICE, DTLS and SRTP on one UDP socket (LiveKit's single-port mode, <c>rtc.udp_port</c>).
/// One receive loop with one pooled buffer and one reused <see cref="SocketAddress"/> routes each datagram:
/// <list type="number">
/// <item>RFC 7983 first-byte demux; anything but STUN, DTLS, RTP/RTCP is dropped and counted as malformed;</item>
/// <item>STUN naming a registered local ufrag in USERNAME goes to that agent (so a client that re-joins from the
/// same address reaches its new session); when the agent accepts the check, the source address becomes a route;</item>
/// <item>everything else goes to the agent routed at the source address, or is dropped and counted as unknown.</item>
/// </list>
/// Steady-state traffic (known address, any kind) allocates nothing.
/// </summary>
internal sealed class UdpMux : IAsyncDisposable
{
    private readonly IDatagramSocket _socket;
    private readonly IceAgentRegistry _registry;
    private readonly UdpMuxOptions _options;
    private readonly ConcurrentDictionary<EndpointKey, UdpChannel> _routes = new();
    private readonly CancellationTokenSource _stop = new();
    private UdpChannel? _probe;
    private Task? _loop;
    private long _received;
    private long _droppedMalformed;
    private long _droppedUnknownSource;
    private long _droppedByAgent;
    private long _handlerErrors;

    public UdpMux(IDatagramSocket socket, IceAgentRegistry registry, UdpMuxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(registry);
        _socket = socket;
        _registry = registry;
        _options = options ?? new UdpMuxOptions();
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Datagrams that are not STUN, DTLS, RTP or RTCP (RFC 7983), or too short to be.</summary>
    public long DroppedMalformed => Interlocked.Read(ref _droppedMalformed);

    /// <summary>Datagrams from an address no session knows, not naming a registered ufrag.</summary>
    public long DroppedUnknownSource => Interlocked.Read(ref _droppedUnknownSource);

    /// <summary>Datagrams a session's agent ignored (bad STUN, closed agent).</summary>
    public long DroppedByAgent => Interlocked.Read(ref _droppedByAgent);

    /// <summary>Exceptions thrown by the layers above while handling a datagram; the loop keeps going.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    public int RouteCount => _routes.Count;

    /// <summary>Starts the receive loop.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The UDP mux is already running.");
        }

        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>Routes one received datagram; the receive loop's body, callable directly by tests.</summary>
    internal void ProcessDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        Interlocked.Increment(ref _received);
        MediaCounters.UdpReceived.Increment();
        var kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Unknown)
        {
            Interlocked.Increment(ref _droppedMalformed);
            MediaCounters.UdpMalformed.Increment();
            return;
        }

        if (!EndpointKey.TryCreate(from, out var key))
        {
            Interlocked.Increment(ref _droppedUnknownSource);
            MediaCounters.UdpUnknownSource.Increment();
            return;
        }

        _routes.TryGetValue(key, out var route);
        if (kind == PacketKind.Stun && _registry.TryResolve(datagram, out var agent) && !ReferenceEquals(route?.Agent, agent))
        {
            ProbeNewPath(datagram, from, key, agent);
            return;
        }

        if (route is null)
        {
            Interlocked.Increment(ref _droppedUnknownSource);
            MediaCounters.UdpUnknownSource.Increment();
            return;
        }

        if (route.Agent.Receive(route, datagram) == IceReceiveResult.Dropped)
        {
            Interlocked.Increment(ref _droppedByAgent);
        }
    }

    internal void SendTo(ReadOnlySpan<byte> datagram, SocketAddress to) => _socket.SendTo(datagram, to);

    internal void RemoveRoute(UdpChannel channel) => _routes.TryRemove(KeyValuePair.Create(channel.Key, channel));

    /// <summary>A check from an address not yet routed to its agent: becomes a route only if the agent accepts it.</summary>
    private void ProbeNewPath(ReadOnlySpan<byte> datagram, SocketAddress from, EndpointKey key, IceAgent agent)
    {
        var probe = _probe is { } spare && spare.TryReset(from, key, agent) ? spare : new UdpChannel(this, from, key, agent);
        _probe = null;
        var result = agent.Receive(probe, datagram);
        if (result == IceReceiveResult.Accepted)
        {
            _routes[key] = probe;
            return;
        }

        _probe = probe;
        if (result == IceReceiveResult.Dropped)
        {
            Interlocked.Increment(ref _droppedByAgent);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_options.ReceiveBufferSize);
        var from = _socket.CreateAddressBuffer();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(buffer, from, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException)
                {
                    // ICMP-triggered resets and similar are per-datagram conditions: keep receiving.
                    continue;
                }

                try
                {
                    ProcessDatagram(buffer.AsSpan(0, length), from);
                }
#pragma warning disable CA1031 // One faulty session must not stop the port for everyone.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _handlerErrors);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
