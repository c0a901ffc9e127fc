using System.Net;
using System.Net.Sockets;
using Starling.Testing;
using Starling.Transport.Ice;
using Starling.Transport.Net;
using Starling.Transport.Tests.Ice;
using Starling.Wire.Stun;

namespace Starling.Transport.Tests.Net;

public sealed class UdpDatagramSocketTests
{
    [Fact]
    public async Task UdpMux_OnLoopbackSocket_AnswersCheckAndCarriesMedia()
    {
        var registry = new IceAgentRegistry();
        await using var mux = new UdpMux(UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0)), registry);
        mux.Start();
        using var agent = new IceAgent(new IceOptions(), TimeProvider.System);
        registry.TryAdd(agent);
        var delivered = 0;
        agent.DatagramReceived = (_, _) => Interlocked.Increment(ref delivered);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 5000;
        var check = new IceCheck(agent.LocalCredentials.Ufrag, "cli1", agent.LocalCredentials.Password) { UseCandidate = true };

        client.SendTo(check.Build(), mux.LocalEndPoint);
        var buffer = new byte[1500];
        var length = client.Receive(buffer);

        Assert.True(StunMessage.TryRead(buffer.AsSpan(0, length), out var response, out _));
        Assert.Equal(StunMessageType.BindingSuccessResponse, response.MessageType);
        Assert.True(response.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(client.LocalEndPoint, mapped);
        client.SendTo(new byte[] { 22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9 }, mux.LocalEndPoint);
        await Eventually.True(() => Volatile.Read(ref delivered) == 1, TimeSpan.FromSeconds(5), "DTLS datagram delivered");
        agent.Send([23, 0xFE, 0xFD, 1]);
        length = client.Receive(buffer);
        Assert.Equal(new byte[] { 23, 0xFE, 0xFD, 1 }, buffer[..length]);
    }

    [Fact]
    public async Task DualModeSocket_IPv4Peer_ReportsPlainIPv4MappedAddress()
    {
        UdpDatagramSocket socket;
        try
        {
            socket = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        }
        catch (SocketException)
        {
            return; // no IPv6 on this machine
        }

        using (socket)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            client.SendTo(new byte[] { 1, 2, 3 }, new IPEndPoint(IPAddress.Loopback, socket.LocalEndPoint.Port));
            var from = socket.CreateAddressBuffer();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));

            var length = await socket.ReceiveFromAsync(new byte[16], from, cancel.Token);

            Assert.Equal(3, length);
            Assert.Equal(client.LocalEndPoint, SocketAddressHelper.ToEndPoint(from));
        }
    }
}
