using System.Text;

namespace Starling.Transport.Sctp;

/// <summary>
/// WebRTC data channels over one <see cref="SctpAssociation"/>: DCEP open/ack (RFC 8832), PPID mapping and empty
/// messages (RFC 8831 §6.6), stream id parity by DTLS role (§6), and close by stream reset (§6.7).
/// <para>
/// Threading: the manager's own state is behind a short lock that is never held while calling into the
/// association or raising events. Events (<see cref="ChannelOpened"/> and the channels' events) are raised from
/// the association's event dispatch, serially, except that closing a channel whose association is already gone
/// raises <see cref="DataChannel.Closed"/> on the caller's thread.
/// </para>
/// </summary>
internal sealed class DataChannelManager : IDisposable
{
    private static readonly byte[] AckMessage = [(byte)DcepMessageType.DataChannelAck];
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, DataChannel> _channels = [];
    private readonly bool _isDtlsServer;
    private bool _associationClosed;

    /// <param name="association">The association to run on; the manager subscribes to its events.</param>
    /// <param name="isDtlsServer">Our DTLS role: the DTLS client picks even stream ids, the server odd ones.</param>
    public DataChannelManager(SctpAssociation association, bool isDtlsServer)
    {
        Association = association;
        _isDtlsServer = isDtlsServer;
        association.MessageReceived += OnMessage;
        association.IncomingStreamsReset += OnIncomingStreamsReset;
        association.OutgoingStreamsReset += OnOutgoingStreamsReset;
        association.BufferedAmountLow += OnBufferedAmountLow;
        association.Established += OnEstablished;
        association.Closed += OnAssociationClosed;
        association.Restarted += OnAssociationRestarted;
    }

    /// <summary>The peer opened a channel (DATA_CHANNEL_OPEN received; the ACK is already queued).</summary>
    public event Action<DataChannel>? ChannelOpened;

    public SctpAssociation Association { get; }

    /// <summary>DCEP messages that did not parse or made no sense (e.g. OPEN on a stream in use).</summary>
    public long DcepErrors { get; private set; }

    /// <summary>User messages on a stream with no channel.</summary>
    public long UnknownStreamMessages { get; private set; }

    public IReadOnlyList<DataChannel> Channels
    {
        get
        {
            lock (_gate)
            {
                return [.. _channels.Values];
            }
        }
    }

    /// <summary>
    /// Opens a channel in-band: allocates a stream id of our parity and sends DATA_CHANNEL_OPEN. At most one of
    /// <paramref name="maxRetransmits"/> and <paramref name="maxPacketLifeTime"/> may be set (partial reliability).
    /// The channel is <see cref="DataChannelState.Open"/> at once if the association is up, otherwise
    /// <see cref="DataChannelState.Connecting"/> until it is (messages are queued meanwhile).
    /// </summary>
    public DataChannel OpenChannel(string label, bool ordered = true, int? maxRetransmits = null, TimeSpan? maxPacketLifeTime = null, string protocol = "", ushort priority = 256)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(protocol);
        if (maxRetransmits is not null && maxPacketLifeTime is not null)
        {
            throw new ArgumentException("maxRetransmits and maxPacketLifeTime are mutually exclusive.");
        }

        if (maxRetransmits < 0 || maxPacketLifeTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRetransmits), "Reliability parameters must not be negative.");
        }

        var labelBytes = Encoding.UTF8.GetBytes(label);
        var protocolBytes = Encoding.UTF8.GetBytes(protocol);
        if (labelBytes.Length > ushort.MaxValue || protocolBytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Label and protocol must be at most 65535 bytes of UTF-8.");
        }

        DataChannel channel;
        lock (_gate)
        {
            if (_associationClosed)
            {
                throw new InvalidOperationException("The SCTP association is closed.");
            }

            var id = AllocateId();
            channel = new DataChannel(this, id, label, protocol, ordered, maxRetransmits, maxPacketLifeTime, priority, locallyOpened: true)
            {
                State = Association.State == SctpAssociationState.Established ? DataChannelState.Open : DataChannelState.Connecting,
            };
            _channels[id] = channel;
        }

        var type = DataChannelOpenMessage.GetChannelType(ordered, maxRetransmits, maxPacketLifeTime);
        var reliability = maxRetransmits is { } r ? (uint)r : maxPacketLifeTime is { } t ? (uint)Math.Min(t.TotalMilliseconds, uint.MaxValue) : 0;
        var open = new DataChannelOpenMessage(type, priority, reliability, labelBytes, protocolBytes);
        var bytes = new byte[open.GetSize()];
        open.TryWrite(bytes, out _);
        Association.Send(channel.Id, DataChannelPpid.Dcep, bytes, new SctpSendOptions(Uncounted: true));
        return channel;
    }

    public void Dispose()
    {
        Association.MessageReceived -= OnMessage;
        Association.IncomingStreamsReset -= OnIncomingStreamsReset;
        Association.OutgoingStreamsReset -= OnOutgoingStreamsReset;
        Association.BufferedAmountLow -= OnBufferedAmountLow;
        Association.Established -= OnEstablished;
        Association.Closed -= OnAssociationClosed;
        Association.Restarted -= OnAssociationRestarted;
    }

    internal SctpSendStatus SendMessage(DataChannel channel, ReadOnlySpan<byte> data, bool binary)
    {
        if (channel.State is DataChannelState.Closing or DataChannelState.Closed)
        {
            return SctpSendStatus.InvalidState;
        }

        uint ppid;
        var empty = data.IsEmpty;
        if (empty)
        {
            ppid = binary ? DataChannelPpid.BinaryEmpty : DataChannelPpid.StringEmpty;
            data = [0];
        }
        else
        {
            ppid = binary ? DataChannelPpid.Binary : DataChannelPpid.String;
        }

        var options = new SctpSendOptions(
            Unordered: !channel.Ordered && channel.Acknowledged,
            MaxRetransmits: channel.MaxRetransmits,
            Lifetime: channel.MaxPacketLifeTime,
            Uncounted: empty);
        return Association.Send(channel.Id, ppid, data, options);
    }

    internal void CloseChannel(DataChannel channel)
    {
        bool closedNow;
        lock (_gate)
        {
            if (channel.State is DataChannelState.Closing or DataChannelState.Closed)
            {
                return;
            }

            closedNow = _associationClosed;
            if (closedNow)
            {
                channel.State = DataChannelState.Closed;
                _channels.Remove(channel.Id);
            }
            else
            {
                channel.State = DataChannelState.Closing;
                channel.ResetRequested = true;
            }
        }

        if (closedNow)
        {
            channel.RaiseClosed();
        }
        else
        {
            Association.ResetStreams([channel.Id]);
        }
    }

    private ushort AllocateId()
    {
        var limit = Association.OutboundStreamCount is > 0 and var n ? n : ushort.MaxValue;
        for (var id = _isDtlsServer ? 1 : 0; id < limit; id += 2)
        {
            if (!_channels.ContainsKey((ushort)id))
            {
                return (ushort)id;
            }
        }

        throw new InvalidOperationException("No free SCTP stream id for a new data channel.");
    }

    private void OnMessage(SctpMessage message)
    {
        if (message.PayloadProtocolIdentifier == DataChannelPpid.Dcep)
        {
            OnDcep(message);
            return;
        }

        DataChannel? channel;
        lock (_gate)
        {
            if (!_channels.TryGetValue(message.StreamId, out channel) || channel.State == DataChannelState.Closed)
            {
                UnknownStreamMessages++;
                return;
            }

            // RFC 8832 §6: any user message from the peer implies it has seen our OPEN.
            channel.Acknowledged = true;
        }

        var data = message.Payload;
        bool binary;
        switch (message.PayloadProtocolIdentifier)
        {
            case DataChannelPpid.String:
            case DataChannelPpid.StringPartial:
                binary = false;
                break;
            case DataChannelPpid.StringEmpty:
                binary = false;
                data = [];
                break;
            case DataChannelPpid.BinaryEmpty:
                binary = true;
                data = [];
                break;
            default:
                binary = true;
                break;
        }

        channel.RaiseMessage(new DataChannelMessage(data, binary));
    }

    private void OnDcep(SctpMessage message)
    {
        var payload = message.Payload;
        if (payload.Length == 1 && payload[0] == (byte)DcepMessageType.DataChannelAck)
        {
            lock (_gate)
            {
                if (_channels.TryGetValue(message.StreamId, out var c) && c.IsLocallyOpened)
                {
                    c.Acknowledged = true;
                }
                else
                {
                    DcepErrors++;
                }
            }

            return;
        }

        if (!DataChannelOpenMessage.TryRead(payload, out var open, out _))
        {
            lock (_gate)
            {
                DcepErrors++;
            }

            return;
        }

        DataChannel channel;
        lock (_gate)
        {
            if (_associationClosed || _channels.ContainsKey(message.StreamId))
            {
                // An OPEN on a stream in use (e.g. both sides picked it): ignore it.
                DcepErrors++;
                return;
            }

            channel = new DataChannel(
                this,
                message.StreamId,
                Encoding.UTF8.GetString(open.Label),
                Encoding.UTF8.GetString(open.Protocol),
                open.IsOrdered,
                open.MaxRetransmits,
                open.MaxPacketLifeTime,
                open.Priority,
                locallyOpened: false)
            {
                State = DataChannelState.Open,
            };
            _channels[message.StreamId] = channel;
        }

        Association.Send(channel.Id, DataChannelPpid.Dcep, AckMessage, new SctpSendOptions(Uncounted: true));
        ChannelOpened?.Invoke(channel);
    }

    private void OnEstablished()
    {
        List<DataChannel> opened = [];
        lock (_gate)
        {
            foreach (var c in _channels.Values)
            {
                if (c.State == DataChannelState.Connecting)
                {
                    c.State = DataChannelState.Open;
                    opened.Add(c);
                }
            }
        }

        foreach (var c in opened)
        {
            c.RaiseOpened();
        }
    }

    /// <summary>The peer reset its outgoing stream(s): close ours too (RFC 8831 §6.7).</summary>
    private void OnIncomingStreamsReset(ushort[] streams)
    {
        List<ushort> toReset = [];
        List<DataChannel> closed = [];
        lock (_gate)
        {
            foreach (var c in streams.Length == 0 ? [.. _channels.Values] : streams.Select(s => _channels.GetValueOrDefault(s)).OfType<DataChannel>().ToList())
            {
                c.IncomingReset = true;
                if (!c.ResetRequested)
                {
                    c.ResetRequested = true;
                    c.State = DataChannelState.Closing;
                    toReset.Add(c.Id);
                }

                if (TryFinishClose(c))
                {
                    closed.Add(c);
                }
            }
        }

        if (toReset.Count > 0)
        {
            Association.ResetStreams(toReset.ToArray());
        }

        foreach (var c in closed)
        {
            c.RaiseClosed();
        }
    }

    private void OnOutgoingStreamsReset(ushort[] streams)
    {
        List<DataChannel> closed = [];
        lock (_gate)
        {
            foreach (var s in streams)
            {
                if (_channels.TryGetValue(s, out var c) && c.ResetRequested)
                {
                    c.OutgoingReset = true;
                    if (TryFinishClose(c))
                    {
                        closed.Add(c);
                    }
                }
            }
        }

        foreach (var c in closed)
        {
            c.RaiseClosed();
        }
    }

    private bool TryFinishClose(DataChannel channel)
    {
        if (!channel.IncomingReset || !channel.OutgoingReset)
        {
            return false;
        }

        channel.State = DataChannelState.Closed;
        _channels.Remove(channel.Id);
        return true;
    }

    private void OnBufferedAmountLow(ushort stream)
    {
        DataChannel? channel;
        lock (_gate)
        {
            _channels.TryGetValue(stream, out channel);
        }

        channel?.RaiseBufferedAmountLow();
    }

    private void OnAssociationClosed(SctpCloseReason reason, string detail) => CloseAll(markAssociationClosed: true);

    private void OnAssociationRestarted() => CloseAll(markAssociationClosed: false);

    private void CloseAll(bool markAssociationClosed)
    {
        List<DataChannel> closed;
        lock (_gate)
        {
            _associationClosed |= markAssociationClosed;
            closed = [.. _channels.Values];
            _channels.Clear();
            foreach (var c in closed)
            {
                c.State = DataChannelState.Closed;
            }
        }

        foreach (var c in closed)
        {
            c.RaiseClosed();
        }
    }
}
