using Starling.Proto;

namespace Starling.Rooms.Signal;

/// <summary>One signal WebSocket. Send only enqueues; Close ends the connection after queued messages.</summary>
internal interface ISignalConnection
{
    void Send(SignalResponse message);

    void Close();
}
