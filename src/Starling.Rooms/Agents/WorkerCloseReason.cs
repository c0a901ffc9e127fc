namespace Starling.Rooms.Agents;

/// <summary>Why the server closed a worker connection (the <c>reason</c> label of the close metric).</summary>
internal enum WorkerCloseReason
{
    /// <summary>A frame that is not a protobuf <c>WorkerMessage</c> (or a text frame).</summary>
    Garbage,

    /// <summary>A <c>WorkerMessage</c> with no known message set.</summary>
    UnknownMessage,

    /// <summary>No <c>register</c> within the register timeout.</summary>
    RegisterTimeout,

    /// <summary>More messages than the flood limit allows.</summary>
    Flood,

    /// <summary>A message out of order (anything but register first, a second register) or an invalid registration.</summary>
    Protocol,

    /// <summary>A message over the size limit.</summary>
    Oversized,

    /// <summary>The server is shutting down.</summary>
    Shutdown,
}
