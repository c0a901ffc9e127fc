using System.Net;
using System.Net.Sockets;
using Starling.Testing;
using Starling.Transport.Ice;
using Starling.Transport.Net;
using Starling.Transport.Tests.Ice;
using Starling.Wire.Stun;

namespace Starling.Transport.Tests.Net;

public sealed class UdpMuxTests : IAsyncLifetime
{
    private static readonly IPEndPoint ServerEndPoint = new(IPAddress.Parse("10.77.0.1"), 7882);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly VirtualNetwork _network = new();
    private readonly ManualTimeProvider _time = new();
    private readonly IceAgentRegistry _registry = new();
    private readonly UdpMux _mux;

    public UdpMuxTests()
    {
        _mux = new UdpMux(_network.Bind(ServerEndPoint), _registry);
    }

    public Task InitializeAsync()
    {
        _mux.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _mux.DisposeAsync();

    [Fact]
    public async Task Check_FromNewAddress_IsAnsweredAndRouted()
    {
        var (agent, client) = NewSession("10.77.0.2:50000");

        var response = await Exchange(client, CheckFor(agent));

        Assert.True(StunMessage.TryRead(response, out var message, out _));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(client.LocalEndPoint, mapped);
        Assert.Equal(1, _mux.RouteCount);
    }

    [Fact]
    public async Task Check_FromIPv6Client_MapsIPv6Address()
    {
        var (agent, client) = NewSession("[2001:db8::2]:50000");

        var response = await Exchange(client, CheckFor(agent));

        Assert.True(StunMessage.TryRead(response, out var message, out _));
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(IPEndPoint.Parse("[2001:db8::2]:50000"), mapped);
    }

    [Fact]
    public async Task Data_AfterNomination_FlowsBothWays()
    {
        var (agent, client) = NewSession("10.77.0.2:50000");
        var received = new List<byte[]>();
        agent.DatagramReceived = (_, datagram) =>
        {
            lock (received)
            {
                received.Add(datagram.ToArray());
            }
        };
        await Exchange(client, CheckFor(agent) with { UseCandidate = true });

        client.SendTo(Dtls(1), ServerEndPoint);
        client.SendTo(Rtp(), ServerEndPoint);
        await Eventually.True(() => { lock (received) { return received.Count == 2; } }, Timeout, "media reaches the agent");
        agent.Send(Dtls(2));
        var (back, from) = await client.ReceiveAsync(Cancel());

        Assert.Equal(Dtls(2), back);
        Assert.Equal(ServerEndPoint, from);
        Assert.Equal(IceConnectionState.Connected, agent.State);
    }

    [Fact]
    public async Task TwoSessions_RoutedByUfragAndThenByAddress()
    {
        var (first, firstClient) = NewSession("10.77.0.2:50000");
        var (second, secondClient) = NewSession("10.77.0.3:50000");
        var firstCount = 0;
        var secondCount = 0;
        first.DatagramReceived = (_, _) => Interlocked.Increment(ref firstCount);
        second.DatagramReceived = (_, _) => Interlocked.Increment(ref secondCount);
        await Exchange(firstClient, CheckFor(first) with { UseCandidate = true });
        await Exchange(secondClient, CheckFor(second) with { UseCandidate = true });

        for (var i = 0; i < 3; i++)
        {
            firstClient.SendTo(Dtls(1), ServerEndPoint);
        }

        secondClient.SendTo(Dtls(1), ServerEndPoint);
        await Eventually.True(() => Volatile.Read(ref firstCount) == 3 && Volatile.Read(ref secondCount) == 1, Timeout, "each session gets its own datagrams");
        Assert.Equal(2, _mux.RouteCount);
    }

    [Fact]
    public async Task UnknownAndMalformed_AreDroppedAndCounted()
    {
        var (agent, client) = NewSession("10.77.0.2:50000");

        client.SendTo(Dtls(1), ServerEndPoint); // no route yet
        client.SendTo(new byte[] { 0xFF, 1, 2, 3 }, ServerEndPoint); // not RFC 7983
        client.SendTo((CheckFor(agent) with { ServerUfrag = "nobody" }).Build(), ServerEndPoint);

        await Eventually.True(() => _mux.Received == 3, Timeout, "all three datagrams processed");
        Assert.Equal(1, _mux.DroppedMalformed);
        Assert.Equal(2, _mux.DroppedUnknownSource);
        Assert.Equal(0, _mux.RouteCount);
        Assert.False(client.TryReceive(out _, out _));
    }

    [Fact]
    public async Task BadIntegrity_FromNewAddress_AnswersUnauthorizedWithoutRoute()
    {
        var (agent, client) = NewSession("10.77.0.2:50000");

        var response = await Exchange(client, CheckFor(agent) with { PasswordOverride = "wrongPassword0123456789" });

        Assert.True(StunMessage.TryRead(response, out var message, out _));
        Assert.True(message.TryGetErrorCode(out var code, out _));
        Assert.Equal(StunErrorCode.Unauthorized, code);
        Assert.Equal(0, _mux.RouteCount);
        client.SendTo(Dtls(1), ServerEndPoint);
        await Eventually.True(() => _mux.DroppedUnknownSource == 1, Timeout, "data from an unvalidated address is dropped");
    }

    [Fact]
    public async Task ClientRoams_NewAddressNominated_SendsFollowNewAddress()
    {
        var (agent, oldPath) = NewSession("10.77.0.2:50000");
        await Exchange(oldPath, CheckFor(agent) with { UseCandidate = true, Priority = 2000 });
        var newPath = _network.Bind(IPEndPoint.Parse("10.77.0.2:50001"));
        _time.Advance(TimeSpan.FromSeconds(4)); // the old path goes quiet

        await Exchange(newPath, CheckFor(agent) with { UseCandidate = true, Priority = 1000 });
        agent.Send(Dtls(3));

        var (datagram, _) = await newPath.ReceiveAsync(Cancel());
        Assert.Equal(Dtls(3), datagram);
        Assert.Equal(2, _mux.RouteCount);
        Assert.False(oldPath.TryReceive(out _, out _));
    }

    [Fact]
    public async Task SameAddress_JoinsAnotherSession_RouteMovesToNewAgent()
    {
        var (oldAgent, client) = NewSession("10.77.0.2:50000");
        await Exchange(client, CheckFor(oldAgent) with { UseCandidate = true });
        using var newAgent = new IceAgent(new IceOptions(), _time);
        _registry.TryAdd(newAgent);
        var delivered = 0;
        newAgent.DatagramReceived = (_, _) => Interlocked.Increment(ref delivered);

        await Exchange(client, CheckFor(newAgent) with { UseCandidate = true });
        client.SendTo(Dtls(1), ServerEndPoint);

        await Eventually.True(() => Volatile.Read(ref delivered) == 1, Timeout, "data goes to the new session");
    }

    [Fact]
    public async Task AgentDisposed_RoutesRemovedAndDataDropped()
    {
        var (agent, client) = NewSession("10.77.0.2:50000");
        await Exchange(client, CheckFor(agent) with { UseCandidate = true });

        agent.Dispose();
        client.SendTo(Dtls(1), ServerEndPoint);

        Assert.Equal(0, _mux.RouteCount);
        Assert.Equal(0, _registry.Count);
        await Eventually.True(() => _mux.DroppedUnknownSource == 1, Timeout, "data for a closed session is dropped");
    }

    [Fact]
    public async Task DropFilter_FirstTwoResponsesLost_ThirdRetryIsAnswered()
    {
        var (agent, client) = NewSession("10.77.0.2:50000");
        var lost = 0;
        _network.DropFilter = (from, _) => from.Equals(ServerEndPoint) && Interlocked.Increment(ref lost) <= 2;

        var attempts = 0;
        byte[]? response = null;
        while (response is null && attempts < 5)
        {
            attempts++;
            client.SendTo(CheckFor(agent).Build(), ServerEndPoint);
            await Eventually.True(() => _network.Delivered + _network.Dropped == 2 * attempts, Timeout, "check and its response handled");
            client.TryReceive(out var datagram, out _);
            response = datagram.Length > 0 ? datagram : null;
        }

        Assert.Equal(3, attempts);
        Assert.Equal(2, _network.Dropped);
        Assert.True(StunMessage.TryRead(response, out var message, out _));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
    }

    private (IceAgent Agent, VirtualDatagramSocket Client) NewSession(string clientEndPoint)
    {
        var agent = new IceAgent(new IceOptions(), _time);
        agent.SetRemoteCredentials(new IceCredentials("cli1", "clientPassword0123456789"));
        Assert.True(_registry.TryAdd(agent));
        return (agent, _network.Bind(IPEndPoint.Parse(clientEndPoint)));
    }

    private static IceCheck CheckFor(IceAgent agent) =>
        new(agent.LocalCredentials.Ufrag, "cli1", agent.LocalCredentials.Password);

    private static async Task<byte[]> Exchange(VirtualDatagramSocket client, IceCheck check)
    {
        client.SendTo(check.Build(), ServerEndPoint);
        var (datagram, from) = await client.ReceiveAsync(Cancel());
        Assert.Equal(ServerEndPoint, from);
        return datagram;
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(Timeout).Token;

    private static byte[] Dtls(byte marker) => [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, marker];

    private static byte[] Rtp() => [0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0xAA];
}
