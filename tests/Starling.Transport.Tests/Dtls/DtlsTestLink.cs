using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using Starling.Transport.Dtls;

namespace Starling.Transport.Tests.Dtls;

/// <summary>
/// Our <see cref="DtlsServerSession"/> and a BouncyCastle client joined by an in-memory datagram link,
/// with optional drop filters per direction.
/// </summary>
internal sealed class DtlsTestLink : IDisposable
{
    public static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate();
    public static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate();

    private readonly TaskCompletionSource<DtlsHandshakeResult> _serverHandshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DtlsFailure> _serverFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DtlsTransport? _clientDtls;

    public DtlsTestLink(
        int[]? srtpProfiles = null,
        DtlsFingerprint? expectedClientFingerprint = null,
        DtlsOptions? options = null,
        TimeProvider? timeProvider = null,
        bool clientSendsCertificate = true)
    {
        ClientTransport = new TestDatagramTransport(datagram =>
        {
            ClientToServer.Enqueue(datagram);
            if (DropClientToServer?.Invoke(datagram) != true)
            {
                Server!.HandleDatagram(datagram);
            }
        });
        Server = new DtlsServerSession(
            ServerCertificate,
            expectedClientFingerprint ?? ClientCertificate.Fingerprint,
            new TestDatagramSender(datagram =>
            {
                ServerToClient.Enqueue(datagram);
                if (DropServerToClient?.Invoke(datagram) != true)
                {
                    ClientTransport.Deliver(datagram);
                }
            }),
            timeProvider,
            options);
        Client = new TestDtlsClient(ClientCertificate, ServerCertificate.Fingerprint, srtpProfiles ?? [0x0007, 0x0001])
        {
            SendCertificate = clientSendsCertificate,
        };
        Server.HandshakeCompleted += result => _serverHandshake.TrySetResult(result);
        Server.Failed += failure => _serverFailure.TrySetResult(failure);
        Server.ApplicationDataReceived += data => ServerReceived.Enqueue(data.ToArray());
        Server.Closed += () => Interlocked.Increment(ref ServerClosedCount);
    }

    public DtlsServerSession Server { get; }

    public TestDtlsClient Client { get; }

    public TestDatagramTransport ClientTransport { get; }

    /// <summary>Return true to drop a server-to-client datagram. Runs on the server's thread.</summary>
    public Func<byte[], bool>? DropServerToClient { get; set; }

    /// <summary>Return true to drop a client-to-server datagram. Runs on the client's thread.</summary>
    public Func<byte[], bool>? DropClientToServer { get; set; }

    public ConcurrentQueue<byte[]> ServerToClient { get; } = new();

    public ConcurrentQueue<byte[]> ClientToServer { get; } = new();

    public ConcurrentQueue<byte[]> ServerReceived { get; } = new();

    public int ServerClosedCount;

    public Task<DtlsHandshakeResult> ServerHandshake => _serverHandshake.Task;

    public Task<DtlsFailure> ServerFailure => _serverFailure.Task;

    public DtlsTransport ClientDtls => _clientDtls ?? throw new InvalidOperationException("the client is not connected");

    /// <summary>Starts the server and runs the client handshake on its own thread.</summary>
    public Task<DtlsTransport> StartAsync()
    {
        Server.Start();
        return Task.Factory.StartNew(
            () => _clientDtls = new DtlsClientProtocol(new SecureRandom()).Connect(Client, ClientTransport),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Receives one application data record on the client, or null after <paramref name="timeout"/>.</summary>
    public Task<byte[]?> ClientReceiveAsync(TimeSpan timeout) => Task.Factory.StartNew(
        () =>
        {
            var buffer = new byte[2048];
            var received = ClientDtls.Receive(buffer, 0, buffer.Length, (int)timeout.TotalMilliseconds);
            return received < 0 ? null : buffer[..received];
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    public void Dispose()
    {
        Server.Dispose();
        ClientTransport.Close();
    }
}
