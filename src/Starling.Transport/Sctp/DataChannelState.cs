namespace Starling.Transport.Sctp;

/// <summary>Data channel lifecycle (mirrors RTCDataChannelState).</summary>
internal enum DataChannelState
{
    /// <summary>Opened locally before the SCTP association is up; messages are queued.</summary>
    Connecting,
    Open,

    /// <summary>Stream reset in progress (RFC 8831 §6.7).</summary>
    Closing,
    Closed,
}
