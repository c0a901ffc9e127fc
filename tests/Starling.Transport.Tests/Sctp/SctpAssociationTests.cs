using System.Text;
using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class SctpAssociationTests
{
    [Fact]
    public void Connect_ActiveToPassive_BothEstablished()
    {
        using var pair = new SctpPair();
        pair.A.Connect();
        Assert.True(pair.Link.RunUntil(() => pair.BothEstablished, TimeSpan.FromSeconds(5)));
        Assert.Equal(ushort.MaxValue, pair.A.OutboundStreamCount);
        Assert.True(pair.A.PeerSupportsPartialReliability);
        Assert.True(pair.B.PeerSupportsPartialReliability);
    }

    [Fact]
    public void Connect_SimultaneousInit_BothEstablished()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        Assert.Equal(0, pair.A.GetStats().Counters.BadVerificationTags);
        Assert.Equal(0, pair.B.GetStats().Counters.BadVerificationTags);
        Assert.True(pair.A.GetStats().Counters.InitCollisions > 0);
    }

    [Fact]
    public void Send_OneMessage_Delivered()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        Assert.Equal(SctpSendStatus.Queued, pair.A.Send(1, 51, "hello"u8));
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 1, TimeSpan.FromSeconds(1)));
        Assert.Equal("hello", Encoding.UTF8.GetString(pair.ReceivedByB[0].Payload));
        Assert.Equal(51u, pair.ReceivedByB[0].PayloadProtocolIdentifier);
        Assert.Equal(1, pair.ReceivedByB[0].StreamId);
    }
}
