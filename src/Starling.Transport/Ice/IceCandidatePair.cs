using System.Net;
using Starling.Transport.Net;

namespace Starling.Transport.Ice;

/// <summary>
/// A valid pair of an ICE-lite agent: our local candidate (the shared UDP socket or an ICE-TCP connection) and the
/// remote address a valid check came from (a peer-reflexive candidate in RFC 8445 terms). Sending goes straight
/// to its channel; the agent decides which pair is selected.
/// </summary>
internal sealed class IceCandidatePair : IDatagramSender
{
    internal IceCandidatePair(IIceChannel channel, uint localPriority)
    {
        Channel = channel;
        LocalPriority = localPriority;
    }

    public IIceChannel Channel { get; }

    public IceProtocol Protocol => Channel.Protocol;

    public SocketAddress RemoteAddress => Channel.RemoteAddress;

    /// <summary>Priority of our local candidate (host UDP or passive TCP).</summary>
    public uint LocalPriority { get; }

    /// <summary>The PRIORITY the controlling agent put in its latest check (RFC 8445 §7.1.1).</summary>
    public uint RemotePriority { get; internal set; }

    /// <summary>RFC 8445 §6.1.2.3 pair priority; the remote side is controlling.</summary>
    public ulong Priority => IcePriority.Pair(RemotePriority, LocalPriority);

    /// <summary>A check with USE-CANDIDATE arrived on this pair (RFC 8445 §8.2 for lite agents).</summary>
    public bool IsNominated { get; internal set; }

    internal long LastCheckTimestamp { get; set; }

    internal long LastReceivedTimestamp { get; set; }

    internal long NominatedTimestamp { get; set; }

    public void Send(ReadOnlySpan<byte> datagram) => Channel.Send(datagram);

    public override string ToString() =>
        $"{(Protocol == IceProtocol.Udp ? "udp" : "tcp")} {SocketAddressHelper.Format(RemoteAddress)} priority {Priority}{(IsNominated ? " nominated" : string.Empty)}";
}
