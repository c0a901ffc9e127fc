using System.Net;
using Starling.Transport.Dtls;
using Starling.Transport.Ice;
using Starling.Transport.Net;

namespace Starling.Transport.WebRtc;

/// <summary>
/// The shared machinery behind every peer connection: the UDP mux on <c>rtc.udp_port</c>, the passive ICE-TCP
/// listener on <c>rtc.tcp_port</c>, the ufrag registry that routes to sessions, the DTLS certificate and the
/// host candidates we advertise.
/// </summary>
internal sealed class RtcTransportFactory : IRtcTransportFactory, IAsyncDisposable
{
    private readonly UdpMux _udp;
    private readonly TcpMux? _tcp;

    private RtcTransportFactory(RtcTransportOptions options, TimeProvider time, UdpMux udp, TcpMux? tcp, IceAgentRegistry registry)
    {
        Options = options;
        Time = time;
        _udp = udp;
        _tcp = tcp;
        Registry = registry;
        Certificate = DtlsCertificate.Generate(time);
        var candidates = IceLocalCandidates.Create(options.AdvertisedAddresses, udp.LocalEndPoint.Port, tcp?.LocalEndPoint.Port);
        CandidateLines = candidates.Select(c => c.ToString()).ToList();
    }

    public RtcTransportOptions Options { get; }

    public TimeProvider Time { get; }

    public IceOptions IceOptions { get; } = new();

    public IceAgentRegistry Registry { get; }

    public DtlsCertificate Certificate { get; }

    /// <summary><c>candidate:…</c> values (without <c>a=</c>) for our host candidates.</summary>
    public IReadOnlyList<string> CandidateLines { get; }

    public int UdpPort => _udp.LocalEndPoint.Port;

    public int? TcpPort => _tcp?.LocalEndPoint.Port;

    public UdpMux Udp => _udp;

    /// <summary>Binds the sockets and starts their receive loops.</summary>
    public static RtcTransportFactory Start(RtcTransportOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        var registry = new IceAgentRegistry();
        var socket = UdpDatagramSocket.Bind(new IPEndPoint(options.BindAddress, options.UdpPort));
        var udp = new UdpMux(socket, registry);
        TcpMux? tcp = null;
        try
        {
            if (options.TcpPort > 0)
            {
                tcp = TcpMux.Bind(new IPEndPoint(options.BindAddress, options.TcpPort), registry, timeProvider: time);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var factory = new RtcTransportFactory(options, time, udp, tcp, registry);
        udp.Start();
        tcp?.Start();
        return factory;
    }

    public IRtcTransport Create(string participantSid, bool serverIsOfferer) => new WebRtcTransport(this, serverIsOfferer);

    public async ValueTask DisposeAsync()
    {
        await _udp.DisposeAsync().ConfigureAwait(false);
        if (_tcp is not null)
        {
            await _tcp.DisposeAsync().ConfigureAwait(false);
        }
    }
}
