using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;

namespace Starling.Transport.Tests.Dtls;

/// <summary>The test client's side of the in-memory link: a blocking inbox BouncyCastle's client pulls from.</summary>
internal sealed class TestDatagramTransport(Action<byte[]> send) : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _inbox = [];
    private readonly CancellationTokenSource _closed = new();

    public void Deliver(byte[] datagram)
    {
        if (!_closed.IsCancellationRequested)
        {
            _inbox.Add(datagram);
        }
    }

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => 1200;

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        try
        {
            if (!_inbox.TryTake(out var datagram, waitMillis == 0 ? Timeout.Infinite : waitMillis, _closed.Token))
            {
                return -1;
            }

            var count = Math.Min(len, datagram.Length);
            datagram.AsSpan(0, count).CopyTo(buf.AsSpan(off));
            return count;
        }
        catch (OperationCanceledException)
        {
            throw new IOException("test transport closed");
        }
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (!_closed.IsCancellationRequested)
        {
            send(buf.AsSpan(off, len).ToArray());
        }
    }

    public void Close() => _closed.Cancel();
}
