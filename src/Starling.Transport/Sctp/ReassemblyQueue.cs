namespace Starling.Transport.Sctp;

/// <summary>
/// Receive-side message assembly (RFC 9260 §6.5, §6.6, §6.9): fragments are held by TSN until a run from a B to
/// an E fragment is complete (fragments of one message carry consecutive TSNs); unordered messages are delivered
/// at once, ordered ones per stream in SSN order. FORWARD TSN (RFC 3758 §3.6) discards fragments and skips SSNs;
/// stream reset (RFC 6525 §5.2.2) restarts a stream's SSN at 0.
/// <see cref="BufferedBytes"/> counts every byte held here, which the association turns into its a_rwnd.
/// </summary>
internal sealed class ReassemblyQueue
{
    private readonly int _maxMessageSize;
    private readonly Dictionary<uint, Fragment> _fragments = [];
    private readonly Dictionary<ushort, InboundStream> _streams = [];

    public ReassemblyQueue(int maxMessageSize)
    {
        _maxMessageSize = maxMessageSize;
    }

    public long BufferedBytes { get; private set; }

    /// <summary>
    /// Adds one new DATA chunk (its TSN already accepted as new). Returns false when the peer violates the
    /// protocol (a message larger than the maximum message size).
    /// </summary>
    public bool Add(uint tsn, ushort streamId, ushort ssn, uint ppid, byte flags, ReadOnlySpan<byte> userData, List<SctpMessage> delivered)
    {
        var unordered = (flags & DataChunk.FlagUnordered) != 0;
        var isBeginning = (flags & DataChunk.FlagBeginning) != 0;
        var isEnd = (flags & DataChunk.FlagEnd) != 0;
        if (isBeginning && isEnd)
        {
            if (userData.Length > _maxMessageSize)
            {
                return false;
            }

            var message = new SctpMessage(streamId, ppid, userData.ToArray(), unordered);
            if (unordered)
            {
                delivered.Add(message);
            }
            else
            {
                BufferedBytes += userData.Length;
                DeliverOrdered(ssn, message, delivered);
            }

            return true;
        }

        if (!_fragments.TryAdd(tsn, new Fragment(streamId, ssn, ppid, flags, userData.ToArray())))
        {
            return true;
        }

        BufferedBytes += userData.Length;
        return TryAssemble(tsn, delivered);
    }

    /// <summary>
    /// Applies a FORWARD TSN: drops fragments at or below the new cumulative TSN (and orphaned continuations
    /// right after it), then for each listed ordered stream delivers what is complete up to the skipped SSN and
    /// moves the next expected SSN past it.
    /// </summary>
    public void HandleForwardTsn(uint newCumulativeTsn, in ForwardTsnChunk chunk, List<SctpMessage> delivered)
    {
        if (_fragments.Count > 0)
        {
            List<uint>? stale = null;
            foreach (var tsn in _fragments.Keys)
            {
                if (SerialNumber.Le(tsn, newCumulativeTsn))
                {
                    (stale ??= []).Add(tsn);
                }
            }

            if (stale is not null)
            {
                foreach (var tsn in stale)
                {
                    RemoveFragment(tsn);
                }
            }

            // Continuations of a message whose beginning was skipped can never complete.
            for (var t = newCumulativeTsn + 1; _fragments.TryGetValue(t, out var f) && (f.Flags & DataChunk.FlagBeginning) == 0; t++)
            {
                RemoveFragment(t);
            }
        }

        for (var i = 0; i < chunk.StreamCount; i++)
        {
            var entry = chunk.GetStream(i);
            if (!_streams.TryGetValue(entry.StreamId, out var stream))
            {
                stream = new InboundStream();
                _streams[entry.StreamId] = stream;
            }

            if (SerialNumber.Lt(entry.StreamSequenceNumber, stream.NextSsn))
            {
                continue;
            }

            // Deliver, in order, whatever is complete up to the skipped SSN, then move past it.
            for (var s = stream.NextSsn; s != (ushort)(entry.StreamSequenceNumber + 1); s++)
            {
                if (stream.Ready.Remove(s, out var ready))
                {
                    BufferedBytes -= ready.Payload.Length;
                    delivered.Add(ready);
                }
            }

            stream.NextSsn = (ushort)(entry.StreamSequenceNumber + 1);
            DrainReady(stream, delivered);
        }
    }

    /// <summary>Resets the next expected SSN of the given incoming streams (all when empty) to 0.</summary>
    public void ResetStreams(ReadOnlySpan<ushort> streams)
    {
        if (streams.IsEmpty)
        {
            foreach (var s in _streams.Values)
            {
                Reset(s);
            }

            return;
        }

        foreach (var id in streams)
        {
            if (_streams.TryGetValue(id, out var s))
            {
                Reset(s);
            }
        }
    }

    private void Reset(InboundStream stream)
    {
        foreach (var m in stream.Ready.Values)
        {
            BufferedBytes -= m.Payload.Length;
        }

        stream.Ready.Clear();
        stream.NextSsn = 0;
    }

    private bool TryAssemble(uint tsn, List<SctpMessage> delivered)
    {
        var fragment = _fragments[tsn];
        var first = tsn;
        var current = fragment;
        var span = 1;
        while ((current.Flags & DataChunk.FlagBeginning) == 0)
        {
            if (!_fragments.TryGetValue(first - 1, out var previous) || !current.SameMessageAs(previous) || (previous.Flags & DataChunk.FlagEnd) != 0)
            {
                return true;
            }

            first--;
            current = previous;
            if (++span > _fragments.Count)
            {
                return true;
            }
        }

        var last = tsn;
        current = fragment;
        while ((current.Flags & DataChunk.FlagEnd) == 0)
        {
            if (!_fragments.TryGetValue(last + 1, out var next) || !current.SameMessageAs(next) || (next.Flags & DataChunk.FlagBeginning) != 0)
            {
                return true;
            }

            last++;
            current = next;
        }

        long total = 0;
        for (var t = first; t != last + 1; t++)
        {
            total += _fragments[t].Data.Length;
        }

        if (total > _maxMessageSize)
        {
            return false;
        }

        var payload = new byte[total];
        var offset = 0;
        for (var t = first; t != last + 1; t++)
        {
            _fragments.Remove(t, out var f);
            f!.Data.CopyTo(payload, offset);
            offset += f.Data.Length;
        }

        // RFC 9260 §3.3.1: every fragment carries the PPID; take it from the final one.
        var head = current;
        var message = new SctpMessage(head.StreamId, head.Ppid, payload, (head.Flags & DataChunk.FlagUnordered) != 0);
        if (message.Unordered)
        {
            BufferedBytes -= total;
            delivered.Add(message);
        }
        else
        {
            DeliverOrdered(head.Ssn, message, delivered);
        }

        return true;
    }

    private void DeliverOrdered(ushort ssn, SctpMessage message, List<SctpMessage> delivered)
    {
        if (!_streams.TryGetValue(message.StreamId, out var stream))
        {
            stream = new InboundStream();
            _streams[message.StreamId] = stream;
        }

        if (SerialNumber.Lt(ssn, stream.NextSsn) || !stream.Ready.TryAdd(ssn, message))
        {
            // Already delivered or skipped (e.g. after FORWARD TSN), or a second copy: drop.
            BufferedBytes -= message.Payload.Length;
            return;
        }

        DrainReady(stream, delivered);
    }

    private void DrainReady(InboundStream stream, List<SctpMessage> delivered)
    {
        while (stream.Ready.Remove(stream.NextSsn, out var next))
        {
            BufferedBytes -= next.Payload.Length;
            delivered.Add(next);
            stream.NextSsn++;
        }
    }

    private void RemoveFragment(uint tsn)
    {
        if (_fragments.Remove(tsn, out var f))
        {
            BufferedBytes -= f.Data.Length;
        }
    }

    private sealed class Fragment(ushort streamId, ushort ssn, uint ppid, byte flags, byte[] data)
    {
        public ushort StreamId { get; } = streamId;

        public ushort Ssn { get; } = ssn;

        public uint Ppid { get; } = ppid;

        public byte Flags { get; } = flags;

        public byte[] Data { get; } = data;

        public bool SameMessageAs(Fragment other) =>
            other.StreamId == StreamId
            && ((other.Flags ^ Flags) & DataChunk.FlagUnordered) == 0
            && ((Flags & DataChunk.FlagUnordered) != 0 || other.Ssn == Ssn);
    }

    private sealed class InboundStream
    {
        public ushort NextSsn { get; set; }

        public Dictionary<ushort, SctpMessage> Ready { get; } = [];
    }
}
