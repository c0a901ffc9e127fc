using Microsoft.Extensions.Logging.Abstractions;
using Starling.Proto;
using Starling.Rooms.Agents;
using Starling.Testing;

namespace Starling.Rooms.Tests.Agents;

/// <summary>A dispatcher and a room manager on a manual clock, with in-memory workers.</summary>
internal sealed class AgentHarness : IDisposable
{
    public AgentHarness(AgentOptions? options = null)
    {
        Dispatcher = new AgentDispatcher(options ?? new AgentOptions(), Time, NullLogger<AgentDispatcher>.Instance);
        Rooms = new RoomManager(new RoomOptions(), Time, Events, Dispatcher);
    }

    public ManualTimeProvider Time { get; } = new();

    public RecordingSink Events { get; } = new();

    public AgentDispatcher Dispatcher { get; }

    public RoomManager Rooms { get; }

    /// <summary>A connected, registered worker.</summary>
    public (WorkerSession Session, FakeWorkerConnection Connection) Worker(string agentName = "", JobType type = JobType.JtRoom, string? ns = null, string deployment = "")
    {
        var (session, connection) = Connect();
        var register = new RegisterWorkerRequest { Type = type, AgentName = agentName, Version = "1.7.0", Deployment = deployment };
        if (ns is not null)
        {
            register.Namespace = ns;
        }

        session.Handle(new WorkerMessage { Register = register });
        Assert.NotNull(session.Worker);
        return (session, connection);
    }

    /// <summary>A connected worker that has not registered.</summary>
    public (WorkerSession Session, FakeWorkerConnection Connection) Connect()
    {
        var connection = new FakeWorkerConnection();
        var session = new WorkerSession(Dispatcher, connection, "devkey", "secret", "127.0.0.1", NullLogger<WorkerSession>.Instance);
        session.Start();
        return (session, connection);
    }

    public static void Accept(WorkerSession session, AvailabilityRequest offer, string? identity = null) =>
        session.Handle(new WorkerMessage
        {
            Availability = new AvailabilityResponse { JobId = offer.Job.Id, Available = true, ParticipantIdentity = identity ?? "agent-" + offer.Job.Id },
        });

    public static void Decline(WorkerSession session, AvailabilityRequest offer) =>
        session.Handle(new WorkerMessage { Availability = new AvailabilityResponse { JobId = offer.Job.Id, Available = false } });

    public static void Report(WorkerSession session, float load, WorkerStatus status = WorkerStatus.WsAvailable) =>
        session.Handle(new WorkerMessage { UpdateWorker = new UpdateWorkerStatus { Load = load, Status = status } });

    /// <summary>A participant joining <paramref name="room"/>.</summary>
    public static Participant Join(Room room, string identity, ParticipantInfo.Types.Kind kind = ParticipantInfo.Types.Kind.Standard)
    {
        var participant = new Participant("PA_" + identity, identity, new RecordingSink()) { Kind = kind };
        return room.AddParticipant(participant);
    }

    public void Dispose() => Rooms.Dispose();
}
