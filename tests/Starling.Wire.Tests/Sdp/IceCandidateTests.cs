using Starling.Wire.Sdp;

namespace Starling.Wire.Tests.Sdp;

public sealed class IceCandidateTests
{
    [Theory]
    [InlineData("candidate:3098175849 1 udp 2130706431 10.77.0.1 7882 typ host")]
    [InlineData("candidate:1936595596 1 tcp 1518214911 10.77.0.1 7881 typ host tcptype passive")]
    [InlineData("candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag 4ZcD network-cost 999")]
    [InlineData("candidate:1 1 udp 2122260223 192.168.1.2 54400 typ host generation 0 network-id 1 network-cost 10")]
    [InlineData("candidate:2 1 udp 2113937151 0f1e2d3c-aaaa-bbbb-cccc-111122223333.local 54400 typ host generation 0 network-cost 999")]
    [InlineData("candidate:3 1 tcp 1518280447 192.168.1.2 9 typ host tcptype active generation 0 network-id 1")]
    [InlineData("candidate:4 1 udp 41885439 198.51.100.9 3478 typ relay raddr 203.0.113.7 rport 61234")]
    [InlineData("candidate:5 1 udp 1853824767 2001:db8::7 50000 typ prflx")]
    public void TryParse_ThenFormat_RoundTrips(string line)
    {
        Assert.True(IceCandidate.TryParse(line, out var candidate));
        Assert.Equal(line, candidate.ToString());
        Assert.True(IceCandidate.TryParse("a=" + line, out var fromSdp));
        Assert.Equal(candidate.ToValue(), fromSdp.ToValue());
    }

    [Fact]
    public void TryParse_ServerReflexive_ReadsEveryField()
    {
        Assert.True(IceCandidate.TryParse("candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 10.0.0.2 rport 5000 generation 0", out var c));

        Assert.Equal("842163049", c.Foundation);
        Assert.Equal(1, c.Component);
        Assert.True(c.IsUdp);
        Assert.Equal(1677729535u, c.Priority);
        Assert.Equal("203.0.113.7", c.Address);
        Assert.Equal(61234, c.Port);
        Assert.Equal(IceCandidateType.ServerReflexive, c.Type);
        Assert.Equal("10.0.0.2", c.RelatedAddress);
        Assert.Equal(5000, c.RelatedPort);
        Assert.Equal([KeyValuePair.Create("generation", "0")], c.Extensions);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("candidate:")]
    [InlineData("candidate:1 1 udp 2130706431 10.0.0.1 7882 host")] // no typ
    [InlineData("candidate:1 1 udp 2130706431 10.0.0.1 7882 typ")] // no type
    [InlineData("candidate:1 1 udp 2130706431 10.0.0.1 7882 typ bogus")]
    [InlineData("candidate:1 0 udp 2130706431 10.0.0.1 7882 typ host")] // component 0
    [InlineData("candidate:1 1 udp 4294967296 10.0.0.1 7882 typ host")] // priority overflow
    [InlineData("candidate:1 1 udp -1 10.0.0.1 7882 typ host")]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 65536 typ host")]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 7882 typ host generation")] // dangling extension
    [InlineData("candidate:1 1 udp 1 10.0.0.1 7882 typ srflx raddr 0.0.0.0 rport x")]
    [InlineData("candidate:012345678901234567890123456789012 1 udp 1 10.0.0.1 7882 typ host")] // foundation > 32
    [InlineData("candidate:a:b 1 udp 1 10.0.0.1 7882 typ host")]
    public void TryParse_Malformed_ReturnsFalse(string? line) => Assert.False(IceCandidate.TryParse(line, out _));

    [Fact]
    public void TryParse_RandomMutations_NeverThrows()
    {
        var random = new Random(11);
        const string seed = "candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 0.0.0.0 rport 0 generation 0";
        const string alphabet = " :0123456789abcdefghijklmnopqrstuvwxyz.-/+";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = seed.ToCharArray();
            for (var flips = random.Next(1, 5); flips > 0; flips--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars, 0, random.Next(chars.Length + 1));
            if (IceCandidate.TryParse(text, out var candidate))
            {
                Assert.True(IceCandidate.TryParse(candidate.ToString(), out var again));
                Assert.Equal(candidate.ToValue(), again.ToValue());
            }
        }
    }
}
