using System.Net;
using System.Text;
using Starling.Testing;
using Starling.Transport.Ice;
using Starling.Wire.Stun;

namespace Starling.Transport.Tests.Ice;

public sealed class IceAgentTests : IDisposable
{
    private static readonly IceCredentials ServerCredentials = new("srvUfrag0001", "serverPassword0123456789abcdef");
    private static readonly IceCredentials ClientCredentials = new("cli1", "clientPassword0123456789");

    private readonly ManualTimeProvider _time = new();
    private readonly IceAgent _agent;
    private readonly List<IceConnectionState> _states = [];
    private readonly List<IceCandidatePair> _selections = [];
    private readonly List<byte[]> _received = [];

    public IceAgentTests()
    {
        _agent = new IceAgent(new IceOptions(), _time, ServerCredentials);
        _agent.SetRemoteCredentials(ClientCredentials);
        _agent.StateChanged += (_, state) => _states.Add(state);
        _agent.SelectedPairChanged += (_, pair) => _selections.Add(pair);
        _agent.DatagramReceived = (_, datagram) => _received.Add(datagram.ToArray());
    }

    public void Dispose() => _agent.Dispose();

    private static IceCheck Check => new(ServerCredentials.Ufrag, ClientCredentials.Ufrag, ServerCredentials.Password);

    private static RecordingChannel Channel(int port = 50000, IceProtocol protocol = IceProtocol.Udp) =>
        new(new IPEndPoint(IPAddress.Parse("10.77.0.2"), port), protocol);

    [Fact]
    public void Receive_ValidCheck_AnswersSuccessWithMappedAddressIntegrityAndFingerprint()
    {
        var channel = Channel();
        var check = Check;

        Assert.Equal(IceReceiveResult.Accepted, _agent.Receive(channel, check.Build()));

        var response = channel.TakeLast();
        Assert.True(StunMessage.TryRead(response, out var message, out _));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
        Assert.Equal(check.TransactionId, message.TransactionId);
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.77.0.2"), 50000), mapped);
        Assert.True(message.VerifyMessageIntegrity(ServerCredentials.PasswordBytes));
        Assert.True(message.VerifyFingerprint());
        Assert.Equal(IceConnectionState.Checking, _agent.State);
        Assert.Null(_agent.SelectedPair);
        Assert.Single(_agent.Pairs);
    }

    [Fact]
    public void Receive_UseCandidate_SelectsPairConnectsAndSendsThroughIt()
    {
        var channel = Channel();

        _agent.Receive(channel, (Check with { UseCandidate = true }).Build());
        channel.Sent.Clear();
        _agent.Send([23, 1, 2, 3]);

        Assert.Equal(IceConnectionState.Connected, _agent.State);
        Assert.Equal([IceConnectionState.Connected], _states);
        var selected = Assert.Single(_selections);
        Assert.Same(channel, selected.Channel);
        Assert.True(selected.IsNominated);
        Assert.Equal(IcePriority.Pair(1853824767, IcePriority.HostUdp()), selected.Priority);
        Assert.Equal([23, 1, 2, 3], Assert.Single(channel.Sent));
    }

    [Fact]
    public void Send_NoValidPair_DropsAndCounts()
    {
        _agent.Send([23, 0]);

        Assert.Equal(1, _agent.SendDropped);
    }

    [Fact]
    public void Send_ValidPairsButNoneNominated_GoesToThePairHeardFromLast()
    {
        // Browsers send their DTLS ClientHello as soon as a check without USE-CANDIDATE succeeds; the reply must
        // reach them (RFC 8445 §12.1) rather than wait for the nomination and the client's retransmission.
        var first = Channel(50000);
        var second = Channel(50001);
        _agent.Receive(first, Check.Build());
        _time.Advance(TimeSpan.FromMilliseconds(10));
        _agent.Receive(second, Check.Build());
        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(IceReceiveResult.Delivered, _agent.Receive(first, [22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        first.Sent.Clear();
        second.Sent.Clear();

        _agent.Send([22, 1]);

        Assert.Null(_agent.SelectedPair);
        Assert.Equal(IceConnectionState.Checking, _agent.State);
        Assert.Equal([22, 1], Assert.Single(first.Sent));
        Assert.Empty(second.Sent);
        Assert.Equal(0, _agent.SendDropped);

        _agent.Receive(second, (Check with { UseCandidate = true }).Build());
        second.Sent.Clear();
        _agent.Send([22, 2]);

        Assert.Equal([22, 2], Assert.Single(second.Sent));
        Assert.Single(first.Sent);
    }

    public static TheoryData<string, int, bool> RejectedChecks => new()
    {
        { "wrong password", StunErrorCode.Unauthorized, false },
        { "unknown local ufrag", StunErrorCode.Unauthorized, false },
        { "wrong remote ufrag", StunErrorCode.Unauthorized, false },
        { "no username", StunErrorCode.BadRequest, false },
        { "no integrity", StunErrorCode.BadRequest, false },
        { "peer also controlled", StunErrorCode.RoleConflict, true },
        { "unknown required attribute", StunErrorCode.UnknownAttribute, true },
    };

    [Theory]
    [MemberData(nameof(RejectedChecks))]
    public void Receive_InvalidCheck_AnswersErrorAndKeepsNoPair(string scenario, int expectedCode, bool authenticated)
    {
        var channel = Channel();
        var check = scenario switch
        {
            "wrong password" => Check with { PasswordOverride = "notTheServerPassword0123" },
            "unknown local ufrag" => Check with { ServerUfrag = "zzzz" },
            "wrong remote ufrag" => Check with { ClientUfrag = "other" },
            "no username" => Check with { Username = false },
            "no integrity" => Check with { Integrity = false },
            "peer also controlled" => Check with { Controlled = true, UseCandidate = true },
            "unknown required attribute" => Check with { ExtraAttribute = 0x0031, UseCandidate = true },
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        Assert.Equal(IceReceiveResult.Rejected, _agent.Receive(channel, check.Build()));

        Assert.True(StunMessage.TryRead(channel.TakeLast(), out var response, out _));
        Assert.Equal(StunMessageType.BindingErrorResponse, response.MessageType);
        Assert.Equal(check.TransactionId, response.TransactionId);
        Assert.True(response.TryGetErrorCode(out var code, out _));
        Assert.Equal(expectedCode, code);
        Assert.True(response.VerifyFingerprint());
        Assert.Equal(authenticated, response.HasMessageIntegrity);
        if (authenticated)
        {
            Assert.True(response.VerifyMessageIntegrity(ServerCredentials.PasswordBytes));
        }

        if (expectedCode == StunErrorCode.UnknownAttribute)
        {
            Span<ushort> types = stackalloc ushort[4];
            Assert.True(response.TryGetUnknownAttributes(types, out var count));
            Assert.Equal([0x0031], types[..count].ToArray());
        }

        Assert.Empty(_agent.Pairs);
        Assert.Equal(IceConnectionState.New, _agent.State);
    }

    [Theory]
    [InlineData("no fingerprint")]
    [InlineData("corrupt fingerprint")]
    [InlineData("success response")]
    [InlineData("truncated")]
    [InlineData("garbage")]
    public void Receive_NotAnIceCheck_DropsSilently(string scenario)
    {
        var channel = Channel();
        var bytes = scenario switch
        {
            "no fingerprint" => (Check with { Fingerprint = false }).Build(),
            "corrupt fingerprint" => Corrupt(Check.Build()),
            "success response" => (Check with { MessageType = StunMessageType.BindingSuccessResponse }).Build(),
            "truncated" => Check.Build()[..30],
            "garbage" => [0x00, 0x01, 0x02],
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        Assert.Equal(IceReceiveResult.Dropped, _agent.Receive(channel, bytes));
        Assert.Empty(channel.Sent);

        static byte[] Corrupt(byte[] bytes)
        {
            bytes[^1] ^= 0xFF;
            return bytes;
        }
    }

    [Fact]
    public void Receive_CheckBeforeRemoteCredentials_IsAccepted()
    {
        using var agent = new IceAgent(new IceOptions(), _time, ServerCredentials);

        Assert.Equal(IceReceiveResult.Accepted, agent.Receive(Channel(), (Check with { ClientUfrag = "anything" }).Build()));
    }

    [Fact]
    public void Receive_DataFromUnknownPath_IsDropped()
    {
        Assert.Equal(IceReceiveResult.Dropped, _agent.Receive(Channel(), Dtls()));
        Assert.Empty(_received);
    }

    [Fact]
    public void Receive_DataFromValidPair_IsDelivered()
    {
        var channel = Channel();
        _agent.Receive(channel, Check.Build());

        Assert.Equal(IceReceiveResult.Delivered, _agent.Receive(channel, Dtls()));
        Assert.Equal(IceReceiveResult.Dropped, _agent.Receive(channel, [0xFF, 0, 0, 0]));
        Assert.Equal(Dtls(), Assert.Single(_received));
    }

    [Fact]
    public void Receive_BindingIndicationOnKnownPair_IsHandledWithoutResponse()
    {
        var channel = Channel();
        _agent.Receive(channel, Check.Build());
        channel.Sent.Clear();
        var indication = new byte[20];
        var writer = new StunWriter(indication, StunMessageType.BindingIndication, StunTransactionId.NewRandom());
        Assert.True(writer.TryComplete(out _));

        Assert.Equal(IceReceiveResult.Handled, _agent.Receive(channel, indication));
        Assert.Equal(IceReceiveResult.Dropped, _agent.Receive(Channel(50001), indication));
        Assert.Empty(channel.Sent);
    }

    [Fact]
    public void Consent_NoChecks_GoesDisconnectedThenFailedAndStopsSending()
    {
        var channel = Channel();
        _agent.Receive(channel, (Check with { UseCandidate = true }).Build());

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(IceConnectionState.Connected, _agent.State);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(IceConnectionState.Disconnected, _agent.State);
        channel.Sent.Clear();
        _agent.Send([23]);
        Assert.Single(channel.Sent); // consent not yet lost
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(IceConnectionState.Failed, _agent.State);
        _agent.Send([23]);
        Assert.Single(channel.Sent);
        Assert.Equal(1, _agent.SendDropped);
        Assert.Equal([IceConnectionState.Connected, IceConnectionState.Disconnected, IceConnectionState.Failed], _states);
    }

    [Fact]
    public void Consent_ChecksEveryTwoAndAHalfSeconds_StaysConnected()
    {
        var channel = Channel();
        for (var i = 0; i < 40; i++)
        {
            _agent.Receive(channel, (Check with { UseCandidate = true }).Build());
            _time.Advance(TimeSpan.FromSeconds(2.5));
        }

        Assert.Equal(IceConnectionState.Connected, _agent.State);
        Assert.Equal([IceConnectionState.Connected], _states);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(30)]
    public void Consent_CheckAfterLoss_Reconnects(int silentSeconds)
    {
        var channel = Channel();
        _agent.Receive(channel, (Check with { UseCandidate = true }).Build());
        _time.Advance(TimeSpan.FromSeconds(silentSeconds));

        _agent.Receive(channel, (Check with { UseCandidate = true }).Build());
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(IceConnectionState.Connected, _agent.State);
        Assert.Equal(IceConnectionState.Connected, _states[^1]);
    }

    [Fact]
    public void Nomination_HigherPriorityPair_TakesOver()
    {
        var first = Channel(50000);
        var second = Channel(50001);
        _agent.Receive(first, (Check with { UseCandidate = true, Priority = 1000 }).Build());

        _agent.Receive(second, (Check with { UseCandidate = true, Priority = 2000 }).Build());

        Assert.Same(second, _agent.SelectedPair!.Channel);
        Assert.Equal(2, _selections.Count);
    }

    [Fact]
    public void Nomination_LowerPriorityWhileSelectedIsActive_KeepsSelected()
    {
        var first = Channel(50000);
        var second = Channel(50001);
        _agent.Receive(first, (Check with { UseCandidate = true, Priority = 2000 }).Build());
        _time.Advance(TimeSpan.FromSeconds(1));

        _agent.Receive(second, (Check with { UseCandidate = true, Priority = 1000 }).Build());

        Assert.Same(first, _agent.SelectedPair!.Channel);
        Assert.True(_agent.Pairs.Single(p => p.Channel == second).IsNominated);
    }

    [Fact]
    public void Nomination_LowerPriorityAfterSelectedWentQuiet_RoamsToNewPair()
    {
        var first = Channel(50000);
        var second = Channel(50001);
        _agent.Receive(first, (Check with { UseCandidate = true, Priority = 2000 }).Build());
        _time.Advance(TimeSpan.FromSeconds(3));

        _agent.Receive(second, (Check with { UseCandidate = true, Priority = 1000 }).Build());
        second.Sent.Clear();
        _agent.Send([23]);

        Assert.Same(second, _agent.SelectedPair!.Channel);
        Assert.Single(second.Sent);
    }

    [Fact]
    public void ConsentTimer_SelectedQuietAndOtherNominatedFresh_SwitchesInsteadOfDisconnecting()
    {
        var first = Channel(50000);
        var second = Channel(50001);
        _agent.Receive(first, (Check with { UseCandidate = true, Priority = 2000 }).Build());
        _time.Advance(TimeSpan.FromSeconds(1));
        _agent.Receive(second, (Check with { UseCandidate = true, Priority = 1000 }).Build()); // selected still active

        // The client now only uses the second path, with plain checks (no USE-CANDIDATE).
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2.5));
            _agent.Receive(second, (Check with { Priority = 1000 }).Build());
        }

        Assert.Same(second, _agent.SelectedPair!.Channel);
        Assert.Equal(IceConnectionState.Connected, _agent.State);
        Assert.DoesNotContain(IceConnectionState.Disconnected, _states);
    }

    [Fact]
    public void Restart_NewCredentials_PreviousAcceptedUntilFirstNewCheck()
    {
        var channel = Channel();
        _agent.Receive(channel, (Check with { UseCandidate = true }).Build());
        var newClient = new IceCredentials("cli2", "clientPassword20123456789");

        var newLocal = _agent.Restart(newClient);

        Assert.NotEqual(ServerCredentials.Ufrag, newLocal.Ufrag);
        Assert.True(newLocal.Ufrag.Length >= 4 && newLocal.Password.Length >= 22);
        Assert.Same(newLocal, _agent.LocalCredentials);
        Assert.Equal(IceReceiveResult.Accepted, _agent.Receive(channel, Check.Build()));
        var fresh = new IceCheck(newLocal.Ufrag, newClient.Ufrag, newLocal.Password) { UseCandidate = true };
        Assert.Equal(IceReceiveResult.Accepted, _agent.Receive(channel, fresh.Build()));
        Assert.Equal(IceReceiveResult.Rejected, _agent.Receive(channel, Check.Build()));
        Assert.Equal(IceConnectionState.Connected, _agent.State);
    }

    [Fact]
    public void MaxPairs_Exceeded_EvictsLeastRecentlyActiveUnselectedPair()
    {
        using var agent = new IceAgent(new IceOptions { MaxPairs = 2 }, _time, ServerCredentials);
        var selected = Channel(50000);
        var old = Channel(50001);
        var newest = Channel(50002);
        agent.Receive(selected, (Check with { UseCandidate = true }).Build());
        agent.Receive(old, Check.Build());
        _time.Advance(TimeSpan.FromSeconds(1));

        agent.Receive(newest, Check.Build());

        Assert.True(old.Closed);
        Assert.False(selected.Closed);
        Assert.Equal([selected, newest], agent.Pairs.Select(p => p.Channel).Cast<RecordingChannel>());
    }

    [Fact]
    public void Dispose_ClosesChannelsAndReportsClosed()
    {
        var channel = Channel();
        _agent.Receive(channel, (Check with { UseCandidate = true }).Build());

        _agent.Dispose();

        Assert.True(channel.Closed);
        Assert.Equal(IceConnectionState.Closed, _agent.State);
        Assert.Equal(IceConnectionState.Closed, _states[^1]);
        Assert.Equal(IceReceiveResult.Dropped, _agent.Receive(channel, Check.Build()));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(IceConnectionState.Closed, _agent.State);
    }

    [Fact]
    public void TcpPair_HasLowerLocalPriorityThanUdp()
    {
        var udp = Channel(50000);
        var tcp = Channel(50001, IceProtocol.Tcp);
        _agent.Receive(udp, (Check with { UseCandidate = true }).Build());
        _agent.Receive(tcp, (Check with { UseCandidate = true }).Build());

        Assert.Same(udp, _agent.SelectedPair!.Channel);
        Assert.True(_agent.Pairs.Single(p => p.Protocol == IceProtocol.Tcp).Priority < _agent.SelectedPair.Priority);
    }

    [Fact]
    public void Receive_ChecksAndMediaOnSelectedPair_DoNotAllocate()
    {
        var channel = Channel();
        channel.Record = false;
        var check = (Check with { UseCandidate = true }).Build();
        var media = Dtls();
        _agent.DatagramReceived = static (_, _) => { };
        _agent.Receive(channel, check);
        _agent.Receive(channel, media);
        _agent.Send(media);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _agent.Receive(channel, check);
            _agent.Receive(channel, media);
            _agent.Send(media);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] Dtls() => [23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4];
}
