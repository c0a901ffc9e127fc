using System.Buffers;
using Org.BouncyCastle.Crypto.Tls;

namespace Starling.Transport.Dtls;

/// <summary>
/// BouncyCastle's <see cref="DatagramTransport"/> over an in-memory queue of incoming records and an
/// <see cref="IDatagramSender"/> for outgoing ones. BouncyCastle pulls with a blocking
/// <see cref="Receive"/>; <see cref="DtlsServerSession"/> pushes with <see cref="Enqueue"/>.
/// </summary>
/// <remarks>
/// <see cref="Receive"/> waits as long as BouncyCastle asks (that is how it times handshake retransmissions;
/// 0 means no limit). After the handshake the session waits for data itself with <see cref="WaitForData"/> and
/// then calls BouncyCastle with a 1 ms budget under its own lock, so application sends can interleave.
/// <see cref="Close"/> wakes every waiter; a closed, drained transport throws <see cref="IOException"/>
/// from <see cref="Receive"/>, which is how a blocked BouncyCastle call is unwound.
/// Each queued item is one record, so BouncyCastle's own record buffering is never used.
/// Waits use the real clock because BouncyCastle computes them from it.
/// </remarks>
internal sealed class DtlsQueueTransport(IDatagramSender sender, int mtu, int maxDatagramSize, int maxQueued) : DatagramTransport
{
    private readonly object _gate = new();
    private readonly Queue<(byte[] Buffer, int Length)> _queue = new();
    private bool _closed;
    private long _dropped;

    /// <summary>Records dropped because the queue was full.</summary>
    public long DroppedRecords => Interlocked.Read(ref _dropped);

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    public int GetReceiveLimit() => maxDatagramSize;

    public int GetSendLimit() => mtu;

    /// <summary>Queues one record (copied); false when closed or full.</summary>
    public bool Enqueue(ReadOnlySpan<byte> record)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            if (_queue.Count >= maxQueued)
            {
                _dropped++;
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(record.Length);
            record.CopyTo(buffer);
            _queue.Enqueue((buffer, record.Length));
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Blocks until a record is queued (true) or the transport is closed (false).</summary>
    public bool WaitForData()
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }

            return !_closed;
        }
    }

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        (byte[] Buffer, int Length) item;
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                if (!_closed && !WaitLocked(waitMillis))
                {
                    return -1;
                }

                if (_queue.Count == 0)
                {
                    return _closed ? throw new IOException("DTLS transport closed") : -1;
                }
            }

            item = _queue.Dequeue();
        }

        var count = Math.Min(item.Length, len);
        item.Buffer.AsSpan(0, count).CopyTo(buf.AsSpan(off, count));
        ArrayPool<byte>.Shared.Return(item.Buffer);
        return count;
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (!IsClosed)
        {
            sender.Send(buf.AsSpan(off, len));
        }
    }

    /// <summary>Closes the transport: drops queued records and wakes all waiters. Idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            while (_queue.TryDequeue(out var item))
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }

            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits for a record or close; waitMillis 0 means no limit (BouncyCastle's convention). False on timeout.</summary>
    private bool WaitLocked(int waitMillis)
    {
        var deadline = waitMillis > 0 ? Environment.TickCount64 + waitMillis : long.MaxValue;
        while (_queue.Count == 0 && !_closed)
        {
            var remaining = deadline == long.MaxValue ? Timeout.Infinite : (int)Math.Max(0, deadline - Environment.TickCount64);
            if (remaining == 0 || !Monitor.Wait(_gate, remaining))
            {
                if (_queue.Count == 0 && !_closed)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
