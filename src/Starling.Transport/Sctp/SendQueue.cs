namespace Starling.Transport.Sctp;

/// <summary>
/// Messages not yet (fully) handed to the retransmission queue, per outgoing stream, scheduled round-robin across
/// streams at message granularity (without I-DATA, one message's fragments must carry consecutive TSNs).
/// Tracks each stream's buffered amount (bytes not yet transmitted once) and its low-water threshold.
/// </summary>
internal sealed class SendQueue
{
    private readonly Dictionary<ushort, OutgoingStream> _streams = [];
    private readonly Queue<OutgoingStream> _ready = new();
    private OutgoingStream? _current;

    /// <summary>Unsent bytes across all streams.</summary>
    public long BufferedBytes { get; private set; }

    public bool IsEmpty => BufferedBytes == 0;

    public void Enqueue(OutgoingMessage message)
    {
        var stream = GetOrAdd(message.StreamId);
        stream.Messages.Enqueue(message);
        stream.Buffered += message.Counted ? message.Payload.Length : 0;
        BufferedBytes += message.Payload.Length;
        MakeReady(stream);
    }

    public long GetBufferedAmount(ushort streamId) => _streams.TryGetValue(streamId, out var s) ? s.Buffered : 0;

    public void SetBufferedAmountLowThreshold(ushort streamId, long threshold) => GetOrAdd(streamId).LowThreshold = threshold;

    /// <summary>
    /// Chooses the message to take the next fragment from (continuing a partly sent one first), dropping messages
    /// that expired before their first transmission (reported in <paramref name="expired"/>) and the unsent rest of
    /// abandoned ones. Returns the size of the next fragment, at most <paramref name="maxPayload"/>.
    /// </summary>
    public bool TryPeek(int maxPayload, TimeSpan now, List<OutgoingMessage> expired, List<ushort> lowWater, out int fragmentSize)
    {
        fragmentSize = 0;
        while (true)
        {
            if (_current is null)
            {
                if (!_ready.TryDequeue(out var next))
                {
                    return false;
                }

                next.Scheduled = false;
                if (next.Paused || next.Messages.Count == 0)
                {
                    continue;
                }

                _current = next;
            }

            var message = _current.Messages.Peek();
            if (!message.Started && message.IsExpired(now))
            {
                expired.Add(message);
                message.Abandoned = true;
            }

            if (message.Abandoned)
            {
                DropHead(_current, lowWater);
                continue;
            }

            if (!message.Started)
            {
                message.Started = true;
                if (!message.Unordered)
                {
                    message.Ssn = _current.NextSsn++;
                }
            }

            fragmentSize = Math.Min(message.Remaining, maxPayload);
            return true;
        }
    }

    /// <summary>Takes the fragment sized by the last <see cref="TryPeek"/> call.</summary>
    public OutgoingMessage Take(int fragmentSize, List<ushort> lowWater, out int offset, out byte flags)
    {
        var stream = _current!;
        var message = stream.Messages.Peek();
        offset = message.Offset;
        flags = 0;
        if (offset == 0)
        {
            flags |= DataChunk.FlagBeginning;
        }

        if (offset + fragmentSize == message.Payload.Length)
        {
            flags |= DataChunk.FlagEnd;
        }

        if (message.Unordered)
        {
            flags |= DataChunk.FlagUnordered;
        }

        message.Offset += fragmentSize;
        Consume(stream, message, fragmentSize, lowWater);
        if (message.Remaining == 0)
        {
            stream.Messages.Dequeue();
            _current = null;
            MakeReady(stream);
        }

        return message;
    }

    /// <summary>Stops scheduling new messages of a stream (a reset is pending); a partly sent one still finishes.</summary>
    public void Pause(ushort streamId) => GetOrAdd(streamId).Paused = true;

    public void Resume(ushort streamId)
    {
        var stream = GetOrAdd(streamId);
        stream.Paused = false;
        MakeReady(stream);
    }

    /// <summary>True when every message queued on the stream has all its fragments sent.</summary>
    public bool IsDrained(ushort streamId) => !_streams.TryGetValue(streamId, out var s) || s.Messages.Count == 0;

    /// <summary>Outgoing SSN reset (RFC 6525 §5.1.2 after a successful response): the next ordered message uses SSN 0.</summary>
    public void ResetSequenceNumber(ushort streamId) => GetOrAdd(streamId).NextSsn = 0;

    /// <summary>Discards every queued message (association closing); returns how many.</summary>
    public int Clear()
    {
        var count = 0;
        foreach (var s in _streams.Values)
        {
            count += s.Messages.Count;
            s.Messages.Clear();
            s.Buffered = 0;
            s.Scheduled = false;
        }

        _ready.Clear();
        _current = null;
        BufferedBytes = 0;
        return count;
    }

    /// <summary>Forgets a stream's state entirely (its channel is gone).</summary>
    public void Remove(ushort streamId)
    {
        if (_streams.TryGetValue(streamId, out var s) && s.Messages.Count == 0 && _current != s)
        {
            _streams.Remove(streamId);
        }
    }

    private void DropHead(OutgoingStream stream, List<ushort> lowWater)
    {
        var message = stream.Messages.Dequeue();
        Consume(stream, message, message.Remaining, lowWater);
        if (_current == stream)
        {
            _current = null;
        }

        MakeReady(stream);
    }

    private void Consume(OutgoingStream stream, OutgoingMessage message, int bytes, List<ushort> lowWater)
    {
        BufferedBytes -= bytes;
        if (!message.Counted)
        {
            return;
        }

        var before = stream.Buffered;
        stream.Buffered -= bytes;
        if (before > stream.LowThreshold && stream.Buffered <= stream.LowThreshold)
        {
            lowWater.Add(stream.Id);
        }
    }

    private void MakeReady(OutgoingStream stream)
    {
        if (!stream.Scheduled && !stream.Paused && stream.Messages.Count > 0 && _current != stream)
        {
            stream.Scheduled = true;
            _ready.Enqueue(stream);
        }
    }

    private OutgoingStream GetOrAdd(ushort id)
    {
        if (!_streams.TryGetValue(id, out var s))
        {
            s = new OutgoingStream(id);
            _streams[id] = s;
        }

        return s;
    }

    private sealed class OutgoingStream(ushort id)
    {
        public ushort Id { get; } = id;

        public Queue<OutgoingMessage> Messages { get; } = new();

        public ushort NextSsn { get; set; }

        public long Buffered { get; set; }

        public long LowThreshold { get; set; }

        public bool Paused { get; set; }

        public bool Scheduled { get; set; }
    }
}
