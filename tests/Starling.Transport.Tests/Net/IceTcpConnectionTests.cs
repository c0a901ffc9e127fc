using System.Net;
using Starling.Testing;
using Starling.Transport.Ice;
using Starling.Transport.Net;
using Starling.Transport.Tests.Ice;

namespace Starling.Transport.Tests.Net;

public sealed class IceTcpConnectionTests
{
    [Fact]
    public async Task Send_WriterStalled_DropsWhenRingIsFullAndNeverBlocks()
    {
        var time = new ManualTimeProvider();
        var registry = new IceAgentRegistry();
        using var agent = new IceAgent(new IceOptions(), time);
        registry.TryAdd(agent);
        var stream = new StalledStream();
        var options = new IceTcpOptions { MaxFrameLength = 1000, SendBufferBytes = 4096 };
        var connection = new IceTcpConnection(stream, IPEndPoint.Parse("127.0.0.1:5000").Serialize(), registry, options, time);
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);
        var payload = new byte[998]; // 1,000 bytes framed
        connection.Send(payload);
        await Eventually.True(() => stream.WriteStarted, TimeSpan.FromSeconds(5), "writer picked up the first frame");

        for (var i = 0; i < 10; i++)
        {
            connection.Send(payload);
        }

        Assert.Equal(7, connection.SendDropped); // 4,096 bytes hold the stalled frame and three more
        connection.Close();
        await run;
        Assert.Equal(IceTcpCloseReason.Closed, connection.CloseReason);
        connection.Send(payload);
        Assert.Equal(8, connection.SendDropped);
    }

    [Theory]
    [InlineData("0005AABB", false)]
    [InlineData("0002AABB", true)]
    [InlineData("00", false)]
    [InlineData("0000", true)]
    public void Rfc4571Framing_TryRead_NeedsWholeFrame(string hex, bool complete)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Equal(complete, Rfc4571Framing.TryRead(bytes, out var payload, out var consumed));
        Assert.Equal(complete ? 2 + payload.Length : 0, consumed);
    }

    [Fact]
    public void Rfc4571Framing_TryWrite_RoundTripsAndRefusesSmallBuffer()
    {
        var frame = new byte[5];

        Assert.True(Rfc4571Framing.TryWrite([1, 2, 3], frame, out var written));
        Assert.Equal(5, written);
        Assert.Equal(new byte[] { 0, 3, 1, 2, 3 }, frame);
        Assert.False(Rfc4571Framing.TryWrite([1, 2, 3, 4], frame, out _));
        Assert.False(Rfc4571Framing.TryWrite(new byte[70000], new byte[70010], out _));
    }

    /// <summary>A stream whose writes never finish and whose reads wait until cancelled.</summary>
    private sealed class StalledStream : Stream
    {
        private volatile bool _writeStarted;

        public bool WriteStarted => _writeStarted;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _writeStarted = true;
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
