namespace Starling.Rooms.Signal;

/// <summary>A join was refused before the WebSocket upgrade: answered as HTTP <see cref="Status"/> with the message as body.</summary>
internal sealed class SignalException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
