using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>The sending half of a worker's <c>/agent</c> WebSocket. Both calls only enqueue and never throw.</summary>
internal interface IWorkerConnection
{
    /// <summary>Queues a binary <c>ServerMessage</c>.</summary>
    void Send(ServerMessage message);

    /// <summary>Sends what is queued, then closes the socket (with a policy-violation status unless the reason is shutdown).</summary>
    void Close(WorkerCloseReason reason, string detail);
}
