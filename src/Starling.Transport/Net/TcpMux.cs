using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Starling.Transport.Ice;

namespace Starling.Transport.Net;

/// <summary>
/// The passive ICE-TCP listener (RFC 6544, LiveKit <c>rtc.tcp_port</c>): accepts connections and runs each as an
/// <see cref="IceTcpConnection"/>, which finds its session by the ufrag of its first STUN check, like the UDP mux.
/// A misbehaving connection is closed on its own; the listener and other connections carry on.
/// </summary>
internal sealed class TcpMux : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IceAgentRegistry _registry;
    private readonly IceTcpOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IceTcpConnection, Task?> _connections = new();
    private Task? _acceptLoop;
    private long _accepted;
    private long _refused;
    private long _closedAbnormally;
    private long _handlerErrors;

    private TcpMux(Socket listener, IceAgentRegistry registry, IceTcpOptions options, TimeProvider time)
    {
        _listener = listener;
        _registry = registry;
        _options = options;
        _time = time;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public int ConnectionCount => _connections.Count;

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections closed on accept because <see cref="IceTcpOptions.MaxConnections"/> were open.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections closed for malformed framing, not being ICE, a bind timeout or too many rejected checks.</summary>
    public long ClosedAbnormally => Interlocked.Read(ref _closedAbnormally);

    /// <summary>Connections ended by an exception from the layers above (the connection is closed, the listener carries on).</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>Binds and listens; the any-address of IPv6 makes a dual-mode listener.</summary>
    public static TcpMux Bind(IPEndPoint endPoint, IceAgentRegistry registry, IceTcpOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new IceTcpOptions();
        options.Validate();
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(endPoint);
            listener.Listen(512);
            return new TcpMux(listener, registry, options, timeProvider ?? TimeProvider.System);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public void Start()
    {
        if (_acceptLoop is not null)
        {
            throw new InvalidOperationException("The TCP mux is already running.");
        }

        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections.Values.OfType<Task>()).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }

            if (_connections.Count >= _options.MaxConnections)
            {
                Interlocked.Increment(ref _refused);
                socket.Dispose();
                continue;
            }

            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            var remote = SocketAddressHelper.FromEndPoint((IPEndPoint)socket.RemoteEndPoint!);
            var connection = new IceTcpConnection(new NetworkStream(socket, ownsSocket: true), remote, _registry, _options, _time);
            _connections[connection] = null;
            _connections.TryUpdate(connection, RunConnectionAsync(connection, cancellationToken), null);
        }
    }

    private async Task RunConnectionAsync(IceTcpConnection connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A fault in one session's handlers must not reach the listener.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _handlerErrors);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            if (connection.CloseReason is IceTcpCloseReason.MalformedFrame or IceTcpCloseReason.NotIce
                or IceTcpCloseReason.BindTimeout or IceTcpCloseReason.TooManyRejected)
            {
                Interlocked.Increment(ref _closedAbnormally);
            }
        }
    }
}
