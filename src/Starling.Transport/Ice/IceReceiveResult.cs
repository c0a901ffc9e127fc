namespace Starling.Transport.Ice;

/// <summary>What <see cref="IceAgent.Receive"/> did with a datagram; the muxes use it to learn routes and count.</summary>
internal enum IceReceiveResult
{
    /// <summary>Ignored: malformed, not for us, from an unknown path, or the agent is closed.</summary>
    Dropped,

    /// <summary>A valid Binding request was answered with a success response; the path is a valid pair.</summary>
    Accepted,

    /// <summary>A Binding request was answered with an error response (400, 401, 420, 487).</summary>
    Rejected,

    /// <summary>A STUN indication on a known pair (keepalive): no response.</summary>
    Handled,

    /// <summary>A non-STUN datagram from a valid pair, handed to <see cref="IceAgent.DatagramReceived"/>.</summary>
    Delivered,
}
