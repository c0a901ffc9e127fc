using System.Text;
using Starling.Testing;
using Starling.Transport.Ice;

namespace Starling.Transport.Tests.Ice;

public sealed class IceAgentRegistryTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly IceAgentRegistry _registry = new();

    [Fact]
    public void TryResolve_CheckForRegisteredUfrag_FindsAgent()
    {
        using var agent = new IceAgent(new IceOptions(), _time);
        Assert.True(_registry.TryAdd(agent));
        var check = new IceCheck(agent.LocalCredentials.Ufrag, "cli1", agent.LocalCredentials.Password).Build();

        Assert.True(_registry.TryResolve(check, out var found));
        Assert.Same(agent, found);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nobody")]
    [InlineData("caf\u00e9")]
    public void TryGet_UnknownOrNonAscii_ReturnsFalse(string ufrag)
    {
        using var agent = new IceAgent(new IceOptions(), _time);
        _registry.TryAdd(agent);

        Assert.False(_registry.TryGet(Encoding.UTF8.GetBytes(ufrag), out _));
    }

    [Fact]
    public void TryAdd_DuplicateUfrag_ReturnsFalse()
    {
        var credentials = IceCredentials.Generate();
        using var first = new IceAgent(new IceOptions(), _time, credentials);
        using var second = new IceAgent(new IceOptions(), _time, credentials);

        Assert.True(_registry.TryAdd(first));
        Assert.False(_registry.TryAdd(second));
    }

    [Fact]
    public void Restart_ThenFirstNewCheck_RoutesNewUfragAndRetiresOld()
    {
        using var agent = new IceAgent(new IceOptions(), _time);
        _registry.TryAdd(agent);
        var old = agent.LocalCredentials;

        var fresh = agent.Restart(IceCredentials.Generate());

        Assert.True(_registry.TryGet(old.UfragBytes, out _));
        Assert.True(_registry.TryGet(fresh.UfragBytes, out var found));
        Assert.Same(agent, found);
        var channel = new RecordingChannel(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1));
        agent.Receive(channel, new IceCheck(fresh.Ufrag, agent.RemoteCredentials!.Ufrag, fresh.Password).Build());
        Assert.False(_registry.TryGet(old.UfragBytes, out _));
        Assert.Equal(1, _registry.Count);
    }

    [Fact]
    public void Dispose_RemovesAgent()
    {
        var agent = new IceAgent(new IceOptions(), _time);
        _registry.TryAdd(agent);

        agent.Dispose();

        Assert.Equal(0, _registry.Count);
    }

    [Fact]
    public void Remove_UnregistersWithoutDisposing()
    {
        using var agent = new IceAgent(new IceOptions(), _time);
        _registry.TryAdd(agent);

        _registry.Remove(agent);

        Assert.False(_registry.TryGet(agent.LocalCredentials.UfragBytes, out _));
        Assert.Equal(IceConnectionState.New, agent.State);
    }
}
