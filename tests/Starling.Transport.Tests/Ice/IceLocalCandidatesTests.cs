using System.Net;
using Starling.Transport.Ice;
using Starling.Wire.Sdp;

namespace Starling.Transport.Tests.Ice;

public sealed class IceLocalCandidatesTests
{
    [Fact]
    public void Create_TwoAddressesUdpAndTcp_GivesHostCandidatesInPreferenceOrder()
    {
        var candidates = IceLocalCandidates.Create([IPAddress.Parse("10.77.0.1"), IPAddress.Parse("2001:db8::1")], 7882, 7881);

        Assert.Equal(4, candidates.Count);
        var (udp0, udp1, tcp0, tcp1) = (candidates[0], candidates[1], candidates[2], candidates[3]);
        Assert.Equal("10.77.0.1", udp0.Address);
        Assert.Equal(7882, udp0.Port);
        Assert.Equal(IcePriority.HostUdp(0), udp0.Priority);
        Assert.Equal(2130706431u, udp0.Priority);
        Assert.Equal("2001:db8::1", udp1.Address);
        Assert.True(udp1.Priority < udp0.Priority);
        Assert.Equal("passive", tcp0.TcpType);
        Assert.Equal(7881, tcp0.Port);
        Assert.True(tcp0.IsTcp);
        Assert.True(tcp1.Priority < tcp0.Priority && tcp0.Priority < udp1.Priority);
        Assert.All(candidates, c => Assert.Equal(1, c.Component));
        Assert.All(candidates, c => Assert.Equal(IceCandidateType.Host, c.Type));
        Assert.Equal(4, candidates.Select(c => c.Foundation).Distinct().Count());
        Assert.Matches(@"^candidate:\d+ 1 udp 2130706431 10\.77\.0\.1 7882 typ host$", udp0.ToString());
        Assert.Matches(@"^candidate:\d+ 1 tcp \d+ 10\.77\.0\.1 7881 typ host tcptype passive$", tcp0.ToString());
    }

    [Fact]
    public void Create_SameAddressTwice_KeepsFoundationStable()
    {
        var first = IceLocalCandidates.Create([IPAddress.Parse("10.77.0.1")], 7882, null);
        var second = IceLocalCandidates.Create([IPAddress.Parse("::ffff:10.77.0.1")], 7882, null);

        Assert.Single(first);
        Assert.Equal(first[0], second[0] with { Extensions = first[0].Extensions });
    }

    [Fact]
    public void Candidates_ParseBackFromText()
    {
        foreach (var candidate in IceLocalCandidates.Create([IPAddress.Loopback], 7882, 7881))
        {
            Assert.True(IceCandidate.TryParse("a=" + candidate, out var parsed));
            Assert.Equal(candidate.ToValue(), parsed.ToValue());
        }
    }
}
