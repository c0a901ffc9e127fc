namespace Starling.Transport.Net;

/// <summary>Why an ICE-TCP connection ended.</summary>
internal enum IceTcpCloseReason
{
    /// <summary>Still open.</summary>
    None,

    /// <summary>The client closed its side.</summary>
    EndOfStream,

    /// <summary>A frame longer than <see cref="IceTcpOptions.MaxFrameLength"/>.</summary>
    MalformedFrame,

    /// <summary>The first frame was not a STUN check naming a registered ufrag, or was ignored by its agent.</summary>
    NotIce,

    /// <summary>Too many rejected checks before a valid one.</summary>
    TooManyRejected,

    /// <summary>No valid check within <see cref="IceTcpOptions.BindTimeout"/>.</summary>
    BindTimeout,

    /// <summary>Closed by our side: the agent dropped the pair or closed, or the mux shut down.</summary>
    Closed,

    /// <summary>A socket error.</summary>
    IOError,
}
