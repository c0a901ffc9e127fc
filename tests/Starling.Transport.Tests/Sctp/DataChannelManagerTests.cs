using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class DataChannelManagerTests
{
    [Fact]
    public void OpenChannel_FromDtlsClient_PeerSeesOpenWithParametersAndEvenId()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        var local = fx.Client.OpenChannel("_reliable");
        Assert.Equal(DataChannelState.Open, local.State);
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnServer.Count == 1, TimeSpan.FromSeconds(2)));

        var remote = fx.OpenedOnServer[0];
        Assert.Equal(0, local.Id);
        Assert.Equal(0, remote.Id);
        Assert.Equal("_reliable", remote.Label);
        Assert.True(remote.Ordered);
        Assert.Null(remote.MaxRetransmits);
        Assert.Null(remote.MaxPacketLifeTime);
        Assert.False(remote.IsLocallyOpened);
        Assert.True(fx.Pair.Link.RunUntil(() => local.Acknowledged, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void OpenChannel_FromDtlsServer_UsesOddIdsAndClientSeesIt()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        var first = fx.Server.OpenChannel("_lossy", ordered: false, maxRetransmits: 0);
        var second = fx.Server.OpenChannel("_data_track", ordered: false, maxRetransmits: 0, protocol: "dt");
        Assert.Equal(1, first.Id);
        Assert.Equal(3, second.Id);
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnClient.Count == 2, TimeSpan.FromSeconds(2)));
        var lossy = fx.OpenedOnClient.Single(c => c.Label == "_lossy");
        Assert.False(lossy.Ordered);
        Assert.Equal(0, lossy.MaxRetransmits);
        Assert.Equal("dt", fx.OpenedOnClient.Single(c => c.Label == "_data_track").Protocol);
    }

    [Fact]
    public void OpenChannel_LiveKitChannelsBothWays_MessagesFlowWithPpids()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        var reliable = fx.Client.OpenChannel("_reliable");
        var lossy = fx.Client.OpenChannel("_lossy", ordered: false, maxRetransmits: 0);
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnServer.Count == 2, TimeSpan.FromSeconds(2)));
        var serverReliable = fx.OpenedOnServer.Single(c => c.Label == "_reliable");
        var received = new List<(string Channel, DataChannelMessage Message)>();
        foreach (var c in fx.OpenedOnServer)
        {
            c.MessageReceived += (ch, m) => received.Add((ch.Label, m));
        }

        var echoed = new List<DataChannelMessage>();
        reliable.MessageReceived += (_, m) => echoed.Add(m);

        reliable.Send("hello");
        reliable.Send([1, 2, 3]);
        reliable.Send([], binary: true);
        reliable.Send(string.Empty);
        lossy.Send([9]);
        serverReliable.Send("back");

        Assert.True(fx.Pair.Link.RunUntil(() => received.Count == 5 && echoed.Count == 1, TimeSpan.FromSeconds(2)));
        var onReliable = received.Where(r => r.Channel == "_reliable").Select(r => r.Message).ToList();
        Assert.Equal("hello", onReliable[0].Text);
        Assert.False(onReliable[0].IsBinary);
        Assert.Equal([1, 2, 3], onReliable[1].Data);
        Assert.True(onReliable[1].IsBinary);
        Assert.Empty(onReliable[2].Data);
        Assert.True(onReliable[2].IsBinary);
        Assert.Empty(onReliable[3].Data);
        Assert.False(onReliable[3].IsBinary);
        Assert.Equal([9], received.Single(r => r.Channel == "_lossy").Message.Data);
        Assert.Equal("back", echoed[0].Text);
    }

    [Fact]
    public void OpenChannel_BeforeAssociationEstablished_ConnectingThenOpenAndQueuedDataDelivered()
    {
        using var fx = new Fixture();
        var channel = fx.Client.OpenChannel("early");
        var opened = false;
        channel.Opened += _ => opened = true;
        Assert.Equal(DataChannelState.Connecting, channel.State);
        channel.Send("queued");
        Assert.Equal(6, channel.BufferedAmount);

        var got = new List<string>();
        fx.Server.ChannelOpened += c => c.MessageReceived += (_, m) => got.Add(m.Text);
        fx.Pair.ConnectBoth();
        Assert.True(fx.Pair.Link.RunUntil(() => got.Count == 1, TimeSpan.FromSeconds(2)));
        Assert.True(opened);
        Assert.Equal(DataChannelState.Open, channel.State);
        Assert.Equal("queued", got[0]);
    }

    [Fact]
    public void Close_LocalChannel_BothSidesClosedViaStreamReset()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        var local = fx.Client.OpenChannel("_reliable");
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnServer.Count == 1, TimeSpan.FromSeconds(2)));
        var remote = fx.OpenedOnServer[0];
        var lastMessages = new List<string>();
        remote.MessageReceived += (_, m) => lastMessages.Add(m.Text);
        var localClosed = 0;
        var remoteClosed = 0;
        local.Closed += _ => localClosed++;
        remote.Closed += _ => remoteClosed++;

        local.Send("before close");
        local.Close();
        Assert.Equal(DataChannelState.Closing, local.State);
        Assert.Equal(SctpSendStatus.InvalidState, local.Send("after close"));

        Assert.True(fx.Pair.Link.RunUntil(() => localClosed == 1 && remoteClosed == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(DataChannelState.Closed, local.State);
        Assert.Equal(DataChannelState.Closed, remote.State);
        Assert.Equal(["before close"], lastMessages);
        Assert.Empty(fx.Client.Channels);
        Assert.Empty(fx.Server.Channels);
        Assert.True(fx.Pair.A.GetStats().Counters.StreamResetRequestsSent >= 1);
        Assert.True(fx.Pair.B.GetStats().Counters.StreamResetRequestsSent >= 1);

        // The stream id is free again and works from SSN 0 on both sides.
        var again = fx.Client.OpenChannel("_reliable");
        Assert.Equal(0, again.Id);
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnServer.Count == 2, TimeSpan.FromSeconds(2)));
        var got = new List<string>();
        fx.OpenedOnServer[1].MessageReceived += (_, m) => got.Add(m.Text);
        again.Send("second life");
        Assert.True(fx.Pair.Link.RunUntil(() => got.Count == 1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Close_RemoteChannelUnderLoss_BothSidesClose()
    {
        using var fx = new Fixture(seed: 4);
        fx.Pair.ConnectBoth();
        var local = fx.Client.OpenChannel("x");
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnServer.Count == 1, TimeSpan.FromSeconds(2)));
        fx.Pair.Link.LossRate = 0.3;
        var closed = 0;
        local.Closed += _ => closed++;
        fx.OpenedOnServer[0].Closed += _ => closed++;
        for (var i = 0; i < 20; i++)
        {
            fx.OpenedOnServer[0].Send("m" + i);
        }

        fx.OpenedOnServer[0].Close();
        Assert.True(fx.Pair.Link.RunUntil(() => closed == 2, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void AssociationAbort_ClosesAllChannels()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        var a = fx.Client.OpenChannel("a");
        var b = fx.Client.OpenChannel("b");
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnServer.Count == 2, TimeSpan.FromSeconds(2)));
        var closed = 0;
        foreach (var c in fx.OpenedOnServer.Append(a).Append(b))
        {
            c.Closed += _ => closed++;
        }

        fx.Pair.A.Abort("bye");
        Assert.True(fx.Pair.Link.RunUntil(() => closed == 4, TimeSpan.FromSeconds(2)));
        Assert.Throws<InvalidOperationException>(() => fx.Client.OpenChannel("late"));
    }

    [Fact]
    public void OpenChannel_InvalidReliability_Throws()
    {
        using var fx = new Fixture();
        Assert.Throws<ArgumentException>(() => fx.Client.OpenChannel("x", maxRetransmits: 1, maxPacketLifeTime: TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => fx.Client.OpenChannel("x", maxRetransmits: -1));
    }

    [Fact]
    public void ChannelOpen_TimedPartialReliability_RoundTripsLifetime()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        fx.Client.OpenChannel("timed", ordered: false, maxPacketLifeTime: TimeSpan.FromMilliseconds(1500), priority: 512);
        Assert.True(fx.Pair.Link.RunUntil(() => fx.OpenedOnServer.Count == 1, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), fx.OpenedOnServer[0].MaxPacketLifeTime);
        Assert.Equal(512, fx.OpenedOnServer[0].Priority);
        Assert.False(fx.OpenedOnServer[0].Ordered);
    }

    [Fact]
    public void Message_OnUnknownStreamOrBadDcep_CountedAndIgnored()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        fx.Pair.A.Send(40, DataChannelPpid.Binary, [1]);
        fx.Pair.A.Send(42, DataChannelPpid.Dcep, [0x03, 0x00]);
        fx.Pair.A.Send(44, DataChannelPpid.Dcep, [0x02]);
        Assert.True(fx.Pair.Link.RunUntil(() => fx.Server.UnknownStreamMessages == 1 && fx.Server.DcepErrors == 2, TimeSpan.FromSeconds(2)));
        Assert.Empty(fx.OpenedOnServer);
    }

    [Fact]
    public void BufferedAmountLow_RaisedOnChannel()
    {
        using var fx = new Fixture();
        fx.Pair.ConnectBoth();
        var channel = fx.Client.OpenChannel("bulk");
        channel.BufferedAmountLowThreshold = 10_000;
        var lows = 0;
        channel.BufferedAmountLow += _ => lows++;
        for (var i = 0; i < 20; i++)
        {
            channel.Send(new byte[5_000]);
        }

        Assert.True(channel.BufferedAmount > 10_000);
        Assert.True(fx.Pair.Link.RunUntil(() => lows == 1 && channel.BufferedAmount == 0, TimeSpan.FromSeconds(10)));
    }

    private sealed class Fixture : IDisposable
    {
        public Fixture(int seed = 1)
        {
            Pair = new SctpPair(seed);
            Client = new DataChannelManager(Pair.A, isDtlsServer: false);
            Server = new DataChannelManager(Pair.B, isDtlsServer: true);
            Client.ChannelOpened += c => OpenedOnClient.Add(c);
            Server.ChannelOpened += c => OpenedOnServer.Add(c);
        }

        public SctpPair Pair { get; }

        public DataChannelManager Client { get; }

        public DataChannelManager Server { get; }

        public List<DataChannel> OpenedOnClient { get; } = [];

        public List<DataChannel> OpenedOnServer { get; } = [];

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
            Pair.Dispose();
        }
    }
}
