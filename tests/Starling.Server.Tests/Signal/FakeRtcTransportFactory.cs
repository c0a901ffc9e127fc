using System.Collections.Concurrent;
using Starling.Transport.WebRtc;

namespace Starling.Server.Tests.Signal;

internal sealed class FakeRtcTransportFactory : IRtcTransportFactory
{
    public ConcurrentBag<FakeRtcTransport> Created { get; } = [];

    public IRtcTransport Create(string participantSid, bool serverIsOfferer)
    {
        var transport = new FakeRtcTransport(participantSid, serverIsOfferer);
        Created.Add(transport);
        return transport;
    }

    public FakeRtcTransport Primary(string participantSid) =>
        Created.Where(t => t.ParticipantSid == participantSid).OrderByDescending(t => t.ServerIsOfferer).First();
}
