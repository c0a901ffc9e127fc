using Google.Protobuf;
using Starling.Proto;
using Starling.Rooms.Agents;

namespace Starling.Rooms.Tests.Agents;

public sealed class WorkerSessionTests : IDisposable
{
    private readonly AgentHarness _h = new(new AgentOptions { FloodBurst = 5, FloodRatePerSecond = 1 });

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Register_FirstMessageIsRegisterResponse_WithWorkerIdAndServerInfo()
    {
        var (session, connection) = _h.Worker(agentName: "bot");

        var first = Assert.Single(connection.Sent);
        Assert.Equal(ServerMessage.MessageOneofCase.Register, first.MessageCase);
        Assert.StartsWith("AW_", first.Register.WorkerId, StringComparison.Ordinal);
        Assert.Equal(first.Register.WorkerId, session.Worker!.Id);
        Assert.Equal(("1.9.0", 1, 17), (first.Register.ServerInfo.Version, first.Register.ServerInfo.AgentProtocol, first.Register.ServerInfo.Protocol));
        var listed = Assert.Single(_h.Dispatcher.ListWorkers());
        Assert.Equal(("bot", "1.7.0", WorkerStatus.WsAvailable), (listed.AgentName, listed.Version, listed.Status));
    }

    [Fact]
    public void Register_WithoutPermissions_GetsLivekitDefaults()
    {
        var (session, _) = _h.Worker();
        var permissions = session.Worker!.Permissions;
        Assert.True(permissions.CanSubscribe && permissions.CanPublish && permissions.CanPublishData && permissions.CanUpdateMetadata);
    }

    [Fact]
    public void NoRegister_Within10Seconds_ClosesWithRegisterTimeout()
    {
        var (session, connection) = _h.Connect();

        _h.Time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(session.IsClosed);
        _h.Time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(session.IsClosed);
        Assert.Equal(WorkerCloseReason.RegisterTimeout, connection.ClosedWith);
        Assert.Empty(connection.Sent);
        Assert.Equal(1, _h.Dispatcher.Metrics.Closes(WorkerCloseReason.RegisterTimeout));
    }

    [Fact]
    public void Register_BeforeTimeout_DisarmsTheDeadline()
    {
        var (session, _) = _h.Worker();
        _h.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(session.IsClosed);
    }

    [Fact]
    public void PingBeforeRegister_IsIgnored_SoRegisterResponseStaysFirst()
    {
        var (session, connection) = _h.Connect();
        session.Handle(new WorkerMessage { Ping = new WorkerPing { Timestamp = 1 } });
        Assert.Empty(connection.Sent);
        Assert.False(session.IsClosed);

        session.Handle(new WorkerMessage { Register = new RegisterWorkerRequest() });
        Assert.Equal(ServerMessage.MessageOneofCase.Register, connection.Sent[0].MessageCase);
    }

    [Fact]
    public void Ping_AfterRegister_GetsPongWithItsTimestamp()
    {
        var (session, connection) = _h.Worker();
        session.Handle(new WorkerMessage { Ping = new WorkerPing { Timestamp = 1234 } });
        var pong = connection.Sent[^1].Pong;
        Assert.Equal(1234, pong.LastTimestamp);
        Assert.Equal(_h.Time.GetUtcNow().ToUnixTimeMilliseconds(), pong.Timestamp);
    }

    public static TheoryData<string, WorkerMessage> OutOfOrder => new()
    {
        { "update before register", new WorkerMessage { UpdateWorker = new UpdateWorkerStatus { Load = 0.1f } } },
        { "availability before register", new WorkerMessage { Availability = new AvailabilityResponse { JobId = "AJ_x" } } },
        { "unknown job type", new WorkerMessage { Register = new RegisterWorkerRequest { Type = (JobType)7 } } },
        { "deployment with _", new WorkerMessage { Register = new RegisterWorkerRequest { Deployment = "prod_eu" } } },
        { "deployment with space", new WorkerMessage { Register = new RegisterWorkerRequest { Deployment = "prod eu" } } },
    };

    [Theory]
    [MemberData(nameof(OutOfOrder))]
    public void InvalidFirstMessage_ClosesWithProtocol(string because, WorkerMessage message)
    {
        var (session, connection) = _h.Connect();
        session.Handle(message);
        Assert.True(session.IsClosed, because);
        Assert.Equal(WorkerCloseReason.Protocol, connection.ClosedWith);
        Assert.Empty(_h.Dispatcher.ListWorkers());
    }

    [Fact]
    public void SecondRegister_ClosesAndUnregisters()
    {
        var (session, connection) = _h.Worker();
        session.Handle(new WorkerMessage { Register = new RegisterWorkerRequest() });
        Assert.Equal(WorkerCloseReason.Protocol, connection.ClosedWith);
        Assert.Empty(_h.Dispatcher.ListWorkers());
    }

    [Fact]
    public void UnknownMessage_ClosesWithUnknownMessage()
    {
        var (session, connection) = _h.Worker();
        // field 99, varint 1: a WorkerMessage from a newer protocol with nothing this server knows
        session.HandleFrame([0x98, 0x06, 0x01], text: false);
        Assert.True(session.IsClosed);
        Assert.Equal(WorkerCloseReason.UnknownMessage, connection.ClosedWith);
        Assert.Equal(1, _h.Dispatcher.Metrics.Closes(WorkerCloseReason.UnknownMessage));
        Assert.Empty(_h.Dispatcher.ListWorkers());
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff }, false)]
    [InlineData(new byte[] { 0x0a, 0x05, 0x01 }, false)]
    [InlineData(new byte[] { (byte)'{', (byte)'}' }, true)]
    public void Garbage_ClosesWithGarbage(byte[] frame, bool text)
    {
        var (session, connection) = _h.Worker();
        session.HandleFrame(frame, text);
        Assert.Equal(WorkerCloseReason.Garbage, connection.ClosedWith);
        Assert.Empty(_h.Dispatcher.ListWorkers());
    }

    [Fact]
    public void Flood_OverBurstAndRate_ClosesWithFlood_OthersUntouched()
    {
        var (other, otherConnection) = _h.Worker();
        var (session, connection) = _h.Worker();
        var update = new WorkerMessage { UpdateWorker = new UpdateWorkerStatus { Load = 0.1f } }.ToByteArray();
        for (var i = 0; i < 5; i++)
        {
            session.HandleFrame(update, text: false); // the burst of 5
        }

        Assert.False(session.IsClosed);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        session.HandleFrame(update, text: false); // refilled one
        Assert.False(session.IsClosed);
        session.HandleFrame(update, text: false);

        Assert.Equal(WorkerCloseReason.Flood, connection.ClosedWith);
        Assert.Equal(1, _h.Dispatcher.Metrics.Closes(WorkerCloseReason.Flood));
        Assert.False(other.IsClosed);
        Assert.Null(otherConnection.ClosedWith);
        Assert.Equal(other.Worker!.Id, Assert.Single(_h.Dispatcher.ListWorkers()).Id);
    }

    [Fact]
    public void UpdateWorker_TracksLoadStatusAndJobCount()
    {
        var (session, _) = _h.Worker();
        session.Handle(new WorkerMessage { UpdateWorker = new UpdateWorkerStatus { Load = 0.4f, Status = WorkerStatus.WsFull, JobCount = 3 } });
        var listed = Assert.Single(_h.Dispatcher.ListWorkers());
        Assert.Equal((0.4f, WorkerStatus.WsFull, 3u), (listed.Load, listed.Status, listed.ReportedJobCount));

        // status is optional: an update without it keeps the last one
        session.Handle(new WorkerMessage { UpdateWorker = new UpdateWorkerStatus { Load = 0.5f } });
        Assert.Equal(WorkerStatus.WsFull, Assert.Single(_h.Dispatcher.ListWorkers()).Status);
    }

    [Fact]
    public void Disconnected_UnregistersCleanly_WithoutCountingAClose()
    {
        var (session, connection) = _h.Worker();
        session.OnDisconnected();
        Assert.Empty(_h.Dispatcher.ListWorkers());
        Assert.Null(connection.ClosedWith);
        Assert.All(Enum.GetValues<WorkerCloseReason>(), r => Assert.Equal(0, _h.Dispatcher.Metrics.Closes(r)));
    }
}
