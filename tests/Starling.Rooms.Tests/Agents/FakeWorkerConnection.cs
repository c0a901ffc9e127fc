using Starling.Proto;
using Starling.Rooms.Agents;

namespace Starling.Rooms.Tests.Agents;

/// <summary>Records what the server sends a worker and how it closed the connection.</summary>
internal sealed class FakeWorkerConnection : IWorkerConnection
{
    private readonly List<ServerMessage> _sent = [];

    public IReadOnlyList<ServerMessage> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public WorkerCloseReason? ClosedWith { get; private set; }

    public IEnumerable<AvailabilityRequest> Offers => Sent.Where(m => m.MessageCase == ServerMessage.MessageOneofCase.Availability).Select(m => m.Availability);

    public IEnumerable<JobAssignment> Assignments => Sent.Where(m => m.MessageCase == ServerMessage.MessageOneofCase.Assignment).Select(m => m.Assignment);

    public IEnumerable<string> Terminations => Sent.Where(m => m.MessageCase == ServerMessage.MessageOneofCase.Termination).Select(m => m.Termination.JobId);

    public void Send(ServerMessage message)
    {
        lock (_sent)
        {
            _sent.Add(message);
        }
    }

    public void Close(WorkerCloseReason reason, string detail) => ClosedWith ??= reason;
}
