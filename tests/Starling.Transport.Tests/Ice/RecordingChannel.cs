using System.Net;
using Starling.Transport.Ice;
using Starling.Transport.Net;

namespace Starling.Transport.Tests.Ice;

/// <summary>An <see cref="IIceChannel"/> that keeps what the agent sends.</summary>
internal sealed class RecordingChannel(IPEndPoint remote, IceProtocol protocol = IceProtocol.Udp) : IIceChannel
{
    public List<byte[]> Sent { get; } = [];

    public bool Closed { get; private set; }

    public bool Record { get; set; } = true;

    public IceProtocol Protocol { get; } = protocol;

    public SocketAddress RemoteAddress { get; } = SocketAddressHelper.FromEndPoint(remote);

    public void Send(ReadOnlySpan<byte> datagram)
    {
        if (Record)
        {
            Sent.Add(datagram.ToArray());
        }
    }

    public void Close() => Closed = true;

    public byte[] TakeLast()
    {
        Assert.NotEmpty(Sent);
        var last = Sent[^1];
        Sent.Clear();
        return last;
    }
}
