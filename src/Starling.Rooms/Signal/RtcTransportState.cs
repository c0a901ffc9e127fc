namespace Starling.Rooms.Signal;

/// <summary>Peer connection state as LiveKit cares about it.</summary>
internal enum RtcTransportState
{
    New,
    Connecting,
    Connected,
    Disconnected,
    Failed,
    Closed,
}
