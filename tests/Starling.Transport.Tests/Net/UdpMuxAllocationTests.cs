using System.Net;
using Starling.Testing;
using Starling.Transport.Ice;
using Starling.Transport.Net;
using Starling.Transport.Tests.Ice;

namespace Starling.Transport.Tests.Net;

public sealed class UdpMuxAllocationTests
{
    [Fact]
    public void ProcessDatagram_SteadyStateChecksAndMedia_DoesNotAllocate()
    {
        var time = new ManualTimeProvider();
        var registry = new IceAgentRegistry();
        var socket = new NullSocket();
        var mux = new UdpMux(socket, registry);
        using var agent = new IceAgent(new IceOptions(), time);
        registry.TryAdd(agent);
        agent.DatagramReceived = static (_, _) => { };
        var check = new IceCheck(agent.LocalCredentials.Ufrag, "cli1", agent.LocalCredentials.Password) { UseCandidate = true }.Build();
        byte[] rtp = [0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0xAA, 0xBB];
        byte[] rtcp = [0x81, 201, 0, 1, 0, 0, 0, 1];
        var from = SocketAddressHelper.CreateBuffer();
        SocketAddressHelper.CopyTo(SocketAddressHelper.FromEndPoint(IPEndPoint.Parse("10.77.0.2:50000")), from);
        mux.ProcessDatagram(check, from);
        mux.ProcessDatagram(rtp, from);
        agent.Send(rtp);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            mux.ProcessDatagram(rtp, from);
            mux.ProcessDatagram(rtcp, from);
            agent.Send(rtp);
            if (i % 100 == 0)
            {
                mux.ProcessDatagram(check, from);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, mux.RouteCount);
        Assert.Equal(0, mux.DroppedUnknownSource + mux.DroppedMalformed + mux.DroppedByAgent);
        Assert.True(socket.Sent > 1000);
    }

    private sealed class NullSocket : IDatagramSocket
    {
        public int Sent { get; private set; }

        public IPEndPoint LocalEndPoint { get; } = IPEndPoint.Parse("10.77.0.1:7882");

        public SocketAddress CreateAddressBuffer() => SocketAddressHelper.CreateBuffer();

        public ValueTask<int> ReceiveFromAsync(Memory<byte> buffer, SocketAddress remoteAddress, CancellationToken cancellationToken) =>
            ValueTask.FromCanceled<int>(cancellationToken);

        public void SendTo(ReadOnlySpan<byte> datagram, SocketAddress remoteAddress) => Sent++;

        public void Dispose()
        {
        }
    }
}
