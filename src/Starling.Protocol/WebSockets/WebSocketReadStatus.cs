namespace Starling.Protocol.WebSockets;

/// <summary>What <see cref="WebSocketMessageReader.ReadAsync"/> got.</summary>
internal enum WebSocketReadStatus
{
    /// <summary>A whole message, in <see cref="WebSocketMessageReader.Message"/>.</summary>
    Message,

    /// <summary>The peer sent a close frame.</summary>
    Closed,

    /// <summary>The message grew past the limit; nothing more was read.</summary>
    TooLarge,
}
