using System.Globalization;
using System.Net;
using System.Text;
using Starling.Wire.Sdp;
using Starling.Wire.Stun;

namespace Starling.Transport.Ice;

/// <summary>
/// The candidates the server advertises: for each advertised address (in preference order) a host UDP candidate on
/// the shared UDP port and, when ICE-TCP is on, a passive host TCP candidate on the TCP port (RFC 6544 §4.5). The
/// port of a passive TCP candidate is the listening port (Chrome writes 9 only for active ones). Component 1
/// (rtcp-mux), priorities per RFC 8445 §5.1.2 (<see cref="IcePriority"/>), foundation the same for the same type,
/// base address and transport (RFC 8445 §5.1.1.3): a CRC-32 of the three, in decimal like libwebrtc.
/// </summary>
internal static class IceLocalCandidates
{
    public static IReadOnlyList<IceCandidate> Create(IReadOnlyList<IPAddress> addresses, int udpPort, int? tcpPort)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(udpPort);
        if (tcpPort is { } port)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        }

        var candidates = new List<IceCandidate>(addresses.Count * 2);
        for (var i = 0; i < addresses.Count; i++)
        {
            candidates.Add(Host(addresses[i], "udp", IcePriority.HostUdp(i), udpPort, tcpType: null));
        }

        for (var i = 0; tcpPort is not null && i < addresses.Count; i++)
        {
            candidates.Add(Host(addresses[i], "tcp", IcePriority.HostTcpPassive(i), tcpPort.Value, "passive"));
        }

        return candidates;
    }

    private static IceCandidate Host(IPAddress address, string transport, uint priority, int port, string? tcpType)
    {
        var text = Normalize(address);
        return new IceCandidate
        {
            Foundation = Foundation("host", transport, text),
            Transport = transport,
            Priority = priority,
            Address = text,
            Port = port,
            Type = IceCandidateType.Host,
            TcpType = tcpType,
        };
    }

    private static string Normalize(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static string Foundation(string type, string transport, string address) =>
        Crc32.Compute(Encoding.ASCII.GetBytes($"{type} {transport} {address}")).ToString(CultureInfo.InvariantCulture);
}
