namespace Starling.Transport.Net;

/// <summary>Passive ICE-TCP (RFC 6544) on LiveKit's <c>rtc.tcp_port</c>.</summary>
internal sealed class IceTcpOptions
{
    /// <summary>TCP port for ICE-TCP. Default 7881 (LiveKit).</summary>
    public int Port { get; init; } = 7881;

    /// <summary>
    /// Largest frame accepted; a larger LENGTH closes the connection as malformed. Default 16,384 bytes: WebRTC
    /// stacks packetize for UDP, so real frames stay near the 1,500-byte MTU.
    /// </summary>
    public int MaxFrameLength { get; init; } = 16384;

    /// <summary>Bytes queued for sending per connection; frames that do not fit are dropped like UDP. Default 128 KiB.</summary>
    public int SendBufferBytes { get; init; } = 128 * 1024;

    /// <summary>A connection whose first valid STUN check has not arrived by then is closed. Default 10 s.</summary>
    public TimeSpan BindTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rejected checks (error responses) tolerated before the connection is bound. Default 4.</summary>
    public int MaxRejectedBeforeBind { get; init; } = 4;

    /// <summary>Connections open at once; more are closed on accept. Default 4,096.</summary>
    public int MaxConnections { get; init; } = 4096;

    internal void Validate()
    {
        if (MaxFrameLength is < 548 or > Rfc4571Framing.MaxPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameLength), "MaxFrameLength must be 548–65535.");
        }

        if (SendBufferBytes < Rfc4571Framing.GetSize(MaxFrameLength))
        {
            throw new ArgumentOutOfRangeException(nameof(SendBufferBytes), "SendBufferBytes must hold at least one frame.");
        }

        if (BindTimeout <= TimeSpan.Zero || MaxRejectedBeforeBind < 0 || MaxConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BindTimeout), "ICE-TCP limits must be positive.");
        }
    }
}
