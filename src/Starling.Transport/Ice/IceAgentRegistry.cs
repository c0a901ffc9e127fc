using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Starling.Wire.Stun;

namespace Starling.Transport.Ice;

/// <summary>
/// The agents reachable through the shared UDP and TCP ports, keyed by local ufrag: the first STUN request from a new
/// address names its agent in USERNAME (<c>localUfrag:remoteUfrag</c>). Follows ICE restarts and disposal through
/// the agent's ufrag notifications. Lookups are lock-free and allocation-free.
/// </summary>
internal sealed class IceAgentRegistry
{
    private const int MaxUfragLength = 256;

    private readonly ConcurrentDictionary<string, IceAgent> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IceAgent>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public IceAgentRegistry()
    {
        _lookup = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _byUfrag.Count;

    /// <summary>Registers the agent under its local ufrag; false when the ufrag is taken.</summary>
    public bool TryAdd(IceAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!_byUfrag.TryAdd(agent.LocalCredentials.Ufrag, agent))
        {
            return false;
        }

        agent.UfragsChanged += OnUfragsChanged;
        return true;
    }

    public void Remove(IceAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        agent.UfragsChanged -= OnUfragsChanged;
        foreach (var ufrag in agent.RoutableUfrags)
        {
            _byUfrag.TryRemove(KeyValuePair.Create(ufrag, agent));
        }
    }

    /// <summary>Finds an agent by an ASCII ufrag.</summary>
    public bool TryGet(ReadOnlySpan<byte> ufrag, [NotNullWhen(true)] out IceAgent? agent)
    {
        agent = null;
        if (ufrag.IsEmpty || ufrag.Length > MaxUfragLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[ufrag.Length];
        for (var i = 0; i < ufrag.Length; i++)
        {
            if (ufrag[i] >= 0x80)
            {
                return false;
            }

            chars[i] = (char)ufrag[i];
        }

        return _lookup.TryGetValue(chars, out agent);
    }

    /// <summary>Finds the agent a STUN message is addressed to by the part of USERNAME before ':' (RFC 8445 §7.2.2).</summary>
    public bool TryResolve(ReadOnlySpan<byte> stunDatagram, [NotNullWhen(true)] out IceAgent? agent)
    {
        agent = null;
        if (!StunMessage.TryRead(stunDatagram, out var message, out _) || !message.TryGetUsername(out var username))
        {
            return false;
        }

        var colon = username.IndexOf((byte)':');
        return colon > 0 && TryGet(username[..colon], out agent);
    }

    private void OnUfragsChanged(IceAgent agent, string? added, string? removed)
    {
        if (added is not null)
        {
            _byUfrag[added] = agent;
        }

        if (removed is not null)
        {
            _byUfrag.TryRemove(KeyValuePair.Create(removed, agent));
        }
    }
}
