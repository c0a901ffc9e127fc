using System.Net;
using Starling.Testing;
using Starling.Transport.Ice;
using Starling.Transport.Net;
using Starling.Transport.Tests.Ice;
using Starling.Wire.Stun;

namespace Starling.Transport.Tests.Net;

public sealed class TcpMuxTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly IceAgentRegistry _registry = new();
    private readonly TcpMux _mux;
    private readonly IceAgent _agent;
    private readonly List<byte[]> _received = [];

    public TcpMuxTests()
    {
        _mux = TcpMux.Bind(new IPEndPoint(IPAddress.Loopback, 0), _registry, new IceTcpOptions { MaxRejectedBeforeBind = 2 }, _time);
        _agent = new IceAgent(new IceOptions(), _time);
        _agent.SetRemoteCredentials(new IceCredentials("cli1", "clientPassword0123456789"));
        _registry.TryAdd(_agent);
        _agent.DatagramReceived = (_, datagram) =>
        {
            lock (_received)
            {
                _received.Add(datagram.ToArray());
            }
        };
    }

    public Task InitializeAsync()
    {
        _mux.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _agent.Dispose();
        await _mux.DisposeAsync();
    }

    private IceCheck Check => new(_agent.LocalCredentials.Ufrag, "cli1", _agent.LocalCredentials.Password);

    [Fact]
    public async Task Check_OverTcp_AnsweredFramedAndConnectionBecomesSelectedPair()
    {
        using var client = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);

        await client.SendFrameAsync((Check with { UseCandidate = true }).Build());
        var response = await client.ReceiveFrameAsync();

        Assert.True(StunMessage.TryRead(response, out var message, out _));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(client.LocalEndPoint, mapped);
        Assert.Equal(IceProtocol.Tcp, _agent.SelectedPair!.Protocol);
        Assert.Equal(IceConnectionState.Connected, _agent.State);
    }

    [Fact]
    public async Task Data_AfterBind_FlowsBothWaysFramed()
    {
        using var client = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);
        await client.SendFrameAsync((Check with { UseCandidate = true }).Build());
        await client.ReceiveFrameAsync();

        await client.SendFrameAsync(Dtls(1));
        await client.SendFrameAsync(Dtls(2));
        await Eventually.True(() => { lock (_received) { return _received.Count == 2; } }, Timeout, "two DTLS frames delivered");
        _agent.Send(Dtls(3));

        Assert.Equal(Dtls(3), await client.ReceiveFrameAsync());
        Assert.Equal(Dtls(2), _received[1]);
    }

    [Fact]
    public async Task Frames_SplitByteByByteAndCoalesced_AreReassembled()
    {
        using var client = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);
        var check = Framed((Check with { UseCandidate = true }).Build());
        foreach (var b in check)
        {
            await client.SendRawAsync([b]);
        }

        await client.ReceiveFrameAsync();
        await client.SendRawAsync([.. Framed(Dtls(1)), .. Framed(Dtls(2)), .. Framed(Dtls(3))]);

        await Eventually.True(() => { lock (_received) { return _received.Count == 3; } }, Timeout, "three coalesced frames delivered");
        Assert.Equal([Dtls(1), Dtls(2), Dtls(3)], _received);
    }

    [Theory]
    [InlineData("oversized frame")]
    [InlineData("not stun first")]
    [InlineData("unknown ufrag")]
    public async Task BadConnection_IsClosedAloneWhileOthersCarryOn(string scenario)
    {
        using var good = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);
        await good.SendFrameAsync((Check with { UseCandidate = true }).Build());
        await good.ReceiveFrameAsync();
        using var bad = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);

        switch (scenario)
        {
            case "oversized frame":
                await bad.SendRawAsync([0xFF, 0xFF, 0, 1, 2]);
                break;
            case "not stun first":
                await bad.SendFrameAsync(Dtls(1));
                break;
            default:
                await bad.SendFrameAsync((Check with { ServerUfrag = "nobody" }).Build());
                break;
        }

        Assert.True(await bad.IsClosedByServerAsync());
        await Eventually.True(() => _mux.ClosedAbnormally == 1, Timeout, "the bad connection is counted");
        await good.SendFrameAsync(Dtls(9));
        await Eventually.True(() => { lock (_received) { return _received.Count == 1; } }, Timeout, "the good connection still works");
    }

    [Fact]
    public async Task RejectedChecks_BeyondLimit_CloseConnection()
    {
        using var client = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);
        var wrong = Check with { PasswordOverride = "wrongPassword0123456789" };

        for (var i = 0; i < 2; i++)
        {
            await client.SendFrameAsync(wrong.Build());
            Assert.True(StunMessage.TryRead(await client.ReceiveFrameAsync(), out var response, out _));
            Assert.Equal(StunMessageType.BindingErrorResponse, response.MessageType);
        }

        await client.SendFrameAsync(wrong.Build());

        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task NoValidCheck_WithinBindTimeout_ClosesConnection()
    {
        using var client = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);
        await Eventually.True(() => _mux.ConnectionCount == 1, Timeout, "connection accepted");

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await client.IsClosedByServerAsync());
        await Eventually.True(() => _mux.ConnectionCount == 0, Timeout, "connection released");
    }

    [Fact]
    public async Task AgentDisposed_ClosesItsConnection()
    {
        using var client = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);
        await client.SendFrameAsync((Check with { UseCandidate = true }).Build());
        await client.ReceiveFrameAsync();

        _agent.Dispose();

        Assert.True(await client.IsClosedByServerAsync());
        await Eventually.True(() => _mux.ConnectionCount == 0, Timeout, "connection released");
    }

    [Fact]
    public async Task ClientClosesAfterBind_ConnectionReleased()
    {
        var client = await TcpTestClient.ConnectAsync(_mux.LocalEndPoint);
        await client.SendFrameAsync((Check with { UseCandidate = true }).Build());
        await client.ReceiveFrameAsync();

        client.Dispose();

        await Eventually.True(() => _mux.ConnectionCount == 0, Timeout, "connection released");
        Assert.Equal(0, _mux.ClosedAbnormally);
    }

    private static byte[] Framed(byte[] payload) => [(byte)(payload.Length >> 8), (byte)payload.Length, .. payload];

    private static byte[] Dtls(byte marker) => [23, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, marker];
}
