namespace Starling.Transport.Ice;

/// <summary>Candidate and pair priorities (RFC 8445 §5.1.2, §6.1.2.3; RFC 6544 §4.2).</summary>
internal static class IcePriority
{
    public const int HostTypePreference = 126;
    public const int PeerReflexiveTypePreference = 110;
    public const int ServerReflexiveTypePreference = 100;
    public const int RelayedTypePreference = 0;

    /// <summary>
    /// Type preference of host TCP candidates: lower than every UDP type but relay, as libwebrtc does, so a client
    /// only falls back to ICE-TCP when UDP fails.
    /// </summary>
    public const int HostTcpTypePreference = 90;

    /// <summary>RFC 6544 §4.2 direction preference of a passive candidate on a host that is not behind a NAT.</summary>
    public const int PassiveDirectionPreference = 4;

    /// <summary>RFC 8445 §5.1.2.1: 2^24·type + 2^8·local + (256 − component).</summary>
    public static uint Candidate(int typePreference, int localPreference, int componentId) =>
        (uint)(((long)typePreference << 24) + ((long)localPreference << 8) + (256 - componentId));

    /// <summary>A host UDP candidate; <paramref name="index"/> orders several addresses (0 = most preferred).</summary>
    public static uint HostUdp(int index = 0) => Candidate(HostTypePreference, 65535 - index, 1);

    /// <summary>A passive host TCP candidate: local preference 2^13·direction-pref + other-pref (RFC 6544 §4.2).</summary>
    public static uint HostTcpPassive(int index = 0) =>
        Candidate(HostTcpTypePreference, (PassiveDirectionPreference << 13) + (8191 - index), 1);

    /// <summary>RFC 8445 §6.1.2.3: 2^32·MIN(G,D) + 2·MAX(G,D) + (G&gt;D ? 1 : 0), G controlling, D controlled.</summary>
    public static ulong Pair(uint controlling, uint controlled) =>
        ((ulong)Math.Min(controlling, controlled) << 32) + (2ul * Math.Max(controlling, controlled)) + (controlling > controlled ? 1ul : 0ul);
}
