using Starling.Testing;
using Starling.Transport.Ice;
using Starling.Wire.Sdp;

namespace Starling.Transport.Tests.Ice;

public sealed class IceCandidateInitTests
{
    [Fact]
    public void TryParse_BrowserTrickle_ReadsAllKeys()
    {
        const string json = """{"candidate":"candidate:1 1 udp 2122260223 192.168.1.2 54400 typ host generation 0 ufrag abcd network-id 1","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"abcd"}""";

        Assert.True(IceCandidateInit.TryParse(json, out var init, out _));

        Assert.Equal("0", init.SdpMid);
        Assert.Equal(0, init.SdpMLineIndex);
        Assert.Equal("abcd", init.UsernameFragment);
        Assert.True(init.TryGetCandidate(out var candidate));
        Assert.Equal(54400, candidate.Port);
    }

    [Fact]
    public void ToJson_RustShape_HasCamelCaseMidAndIndex()
    {
        var candidate = IceLocalCandidates.Create([System.Net.IPAddress.Parse("10.77.0.1")], 7882, null)[0];

        var json = IceCandidateInit.From(candidate, "0", 0).ToJson();

        Assert.Equal($$"""{"candidate":"{{candidate}}","sdpMid":"0","sdpMLineIndex":0}""", json);
        Assert.True(IceCandidateInit.TryParse(json, out var back, out _));
        Assert.Equal(candidate.ToString(), back.Candidate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"candidate":5}""")]
    [InlineData("""{"candidate":"x","sdpMid":"0","sdpMLineIndex":0""")]
    public void TryParse_Malformed_ReturnsFalseWithReason(string json)
    {
        Assert.False(IceCandidateInit.TryParse(json, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_EmptyCandidate_IsEndOfCandidates()
    {
        Assert.True(IceCandidateInit.TryParse("""{"candidate":"","sdpMid":"0","sdpMLineIndex":0}""", out var init, out _));
        Assert.True(init.IsEndOfCandidates);
        Assert.False(init.TryGetCandidate(out _));
    }

    [Fact]
    public void AddRemoteCandidate_KeepsUpToLimitAndClearsOnRestart()
    {
        using var agent = new IceAgent(new IceOptions(), new ManualTimeProvider());
        Assert.True(IceCandidate.TryParse("candidate:1 1 udp 2122260223 192.168.1.2 54400 typ host", out var candidate));

        for (var i = 0; i < 70; i++)
        {
            agent.AddRemoteCandidate(candidate);
        }

        Assert.Equal(64, agent.RemoteCandidates.Count);
        agent.Restart(IceCredentials.Generate());
        Assert.Empty(agent.RemoteCandidates);
    }
}
