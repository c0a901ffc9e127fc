using System.Text;

namespace Starling.Transport.Sctp;

/// <summary>
/// One WebRTC data channel (RFC 8831) on an SCTP stream, opened in-band with DCEP (RFC 8832) by either side.
/// Created by <see cref="DataChannelManager.OpenChannel"/> or surfaced by <see cref="DataChannelManager.ChannelOpened"/>.
/// Events are raised on the association's draining thread, one at a time.
/// </summary>
internal sealed class DataChannel
{
    private readonly DataChannelManager _manager;
    private long _bufferedAmountLowThreshold;

    internal DataChannel(DataChannelManager manager, ushort id, string label, string protocol, bool ordered, int? maxRetransmits, TimeSpan? maxPacketLifeTime, ushort priority, bool locallyOpened)
    {
        _manager = manager;
        Id = id;
        Label = label;
        Protocol = protocol;
        Ordered = ordered;
        MaxRetransmits = maxRetransmits;
        MaxPacketLifeTime = maxPacketLifeTime;
        Priority = priority;
        IsLocallyOpened = locallyOpened;
        Acknowledged = !locallyOpened;
    }

    /// <summary>The channel opened (only for locally opened channels created before the association was up).</summary>
    public event Action<DataChannel>? Opened;

    public event Action<DataChannel, DataChannelMessage>? MessageReceived;

    /// <summary>Both directions of the stream were reset, or the association ended.</summary>
    public event Action<DataChannel>? Closed;

    /// <summary>The buffered amount fell to or below <see cref="BufferedAmountLowThreshold"/>.</summary>
    public event Action<DataChannel>? BufferedAmountLow;

    /// <summary>The SCTP stream id (even for the DTLS client's channels, odd for the DTLS server's).</summary>
    public ushort Id { get; }

    public string Label { get; }

    public string Protocol { get; }

    public bool Ordered { get; }

    public int? MaxRetransmits { get; }

    public TimeSpan? MaxPacketLifeTime { get; }

    public ushort Priority { get; }

    public bool IsLocallyOpened { get; }

    public DataChannelState State { get; internal set; }

    /// <summary>Bytes queued by <see cref="Send(ReadOnlySpan{byte}, bool)"/> and not yet transmitted.</summary>
    public long BufferedAmount => _manager.Association.GetBufferedAmount(Id);

    public long BufferedAmountLowThreshold
    {
        get => _bufferedAmountLowThreshold;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _bufferedAmountLowThreshold = value;
            _manager.Association.SetBufferedAmountLowThreshold(Id, value);
        }
    }

    /// <summary>
    /// Whether the peer acknowledged our DATA_CHANNEL_OPEN (or sent on the channel). Until then messages go
    /// ordered so they cannot overtake the OPEN (RFC 8832 §6).
    /// </summary>
    internal bool Acknowledged { get; set; }

    internal bool IncomingReset { get; set; }

    internal bool OutgoingReset { get; set; }

    internal bool ResetRequested { get; set; }

    /// <summary>Queues a message: binary (PPID 53) or UTF-8 text (PPID 51); empty ones use PPID 57/56.</summary>
    public SctpSendStatus Send(ReadOnlySpan<byte> data, bool binary = true) => _manager.SendMessage(this, data, binary);

    public SctpSendStatus Send(string text) => _manager.SendMessage(this, Encoding.UTF8.GetBytes(text), binary: false);

    /// <summary>Closes the channel: queued messages are still sent, then the outgoing stream is reset (RFC 8831 §6.7).</summary>
    public void Close() => _manager.CloseChannel(this);

    public override string ToString() => $"DataChannel({Id}, \"{Label}\", {State})";

    internal void RaiseOpened() => Opened?.Invoke(this);

    internal void RaiseMessage(DataChannelMessage message) => MessageReceived?.Invoke(this, message);

    internal void RaiseClosed() => Closed?.Invoke(this);

    internal void RaiseBufferedAmountLow() => BufferedAmountLow?.Invoke(this);
}
