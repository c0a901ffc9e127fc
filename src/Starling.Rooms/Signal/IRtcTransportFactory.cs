namespace Starling.Rooms.Signal;

/// <summary>Creates peer connections for participants (the real one binds to the server's UDP/TCP mux).</summary>
internal interface IRtcTransportFactory
{
    IRtcTransport Create(string participantSid, bool serverIsOfferer);
}
