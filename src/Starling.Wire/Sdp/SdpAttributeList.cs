using System.Collections;

namespace Starling.Wire.Sdp;

/// <summary>
/// The <c>a=</c> lines of a session or media section, in order, kept verbatim (unknown attributes included) so that
/// parse → write reproduces the input. Typed reads parse on demand and skip malformed values; typed writes replace
/// the first occurrence in place, keeping the order browsers produced.
/// Names compare case-sensitively, as RFC 8866 §5.13 and browsers do.
/// </summary>
internal sealed class SdpAttributeList : IReadOnlyList<SdpAttribute>
{
    private readonly List<SdpAttribute> _items = [];

    public int Count => _items.Count;

    public SdpAttribute this[int index] => _items[index];

    public void Add(SdpAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        _items.Add(attribute);
    }

    public void Add(string name, string? value = null) => Add(new SdpAttribute(name, value));

    public void Add<T>(T value)
        where T : ISdpAttributeValue<T> => Add(T.AttributeName, value.ToValue());

    public bool Has(string name) => IndexOf(name) >= 0;

    public int IndexOf(string name) => _items.FindIndex(a => a.Name == name);

    /// <summary>The value of the first attribute called <paramref name="name"/>, or null.</summary>
    public string? GetValue(string name) => IndexOf(name) is var i and >= 0 ? _items[i].Value : null;

    public IEnumerable<string> GetValues(string name)
    {
        foreach (var attribute in _items)
        {
            if (attribute.Name == name && attribute.Value is not null)
            {
                yield return attribute.Value;
            }
        }
    }

    /// <summary>The first well-formed <typeparamref name="T"/>, or null.</summary>
    public T? Get<T>()
        where T : class, ISdpAttributeValue<T>
    {
        foreach (var value in GetValues(T.AttributeName))
        {
            if (T.TryParse(value, out var parsed))
            {
                return parsed;
            }
        }

        return null;
    }

    /// <summary>Every well-formed <typeparamref name="T"/>, in order; malformed ones are skipped.</summary>
    public IReadOnlyList<T> GetAll<T>()
        where T : class, ISdpAttributeValue<T>
    {
        var list = new List<T>();
        foreach (var value in GetValues(T.AttributeName))
        {
            if (T.TryParse(value, out var parsed))
            {
                list.Add(parsed);
            }
        }

        return list;
    }

    /// <summary>Replaces the first <paramref name="name"/> in place (removing the others) or appends it.</summary>
    public void Set(string name, string? value)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            Add(name, value);
            return;
        }

        _items[index] = new SdpAttribute(name, value);
        for (var i = _items.Count - 1; i > index; i--)
        {
            if (_items[i].Name == name)
            {
                _items.RemoveAt(i);
            }
        }
    }

    public void Set<T>(T value)
        where T : ISdpAttributeValue<T> => Set(T.AttributeName, value.ToValue());

    /// <summary>Adds or removes a property attribute such as <c>rtcp-mux</c>.</summary>
    public void SetFlag(string name, bool present)
    {
        if (!present)
        {
            RemoveAll(name);
        }
        else if (!Has(name))
        {
            Add(name);
        }
    }

    public int RemoveAll(string name) => _items.RemoveAll(a => a.Name == name);

    public int RemoveAll(Predicate<SdpAttribute> match) => _items.RemoveAll(match);

    // Typed accessors for attributes allowed at both session and media level.

    public string? IceUfrag
    {
        get => GetValue("ice-ufrag");
        set => SetOrRemove("ice-ufrag", value);
    }

    public string? IcePwd
    {
        get => GetValue("ice-pwd");
        set => SetOrRemove("ice-pwd", value);
    }

    /// <summary><c>a=ice-options</c> tokens (RFC 8839 §5.6), e.g. <c>trickle</c>, <c>renomination</c>.</summary>
    public IReadOnlyList<string> IceOptions => GetValues("ice-options").SelectMany(SdpText.SplitSpaces).ToArray();

    /// <summary><c>a=ice-lite</c> (RFC 8839 §5.3), session level.</summary>
    public bool IceLite
    {
        get => Has("ice-lite");
        set => SetFlag("ice-lite", value);
    }

    public SdpFingerprint? Fingerprint => Get<SdpFingerprint>();

    public IReadOnlyList<SdpFingerprint> Fingerprints => GetAll<SdpFingerprint>();

    /// <summary><c>a=setup</c> (RFC 4145, RFC 8842), or null when absent or malformed.</summary>
    public SdpSetupRole? Setup
    {
        get => GetValue("setup") is { } value && SdpDirections.TryParseSetup(value, out var role) ? role : null;
        set => SetOrRemove("setup", value is { } role ? SdpDirections.Name(role) : null);
    }

    /// <summary><c>a=extmap-allow-mixed</c> (RFC 8285 §6).</summary>
    public bool ExtmapAllowMixed
    {
        get => Has("extmap-allow-mixed");
        set => SetFlag("extmap-allow-mixed", value);
    }

    /// <summary>The direction attribute, or null when none is present (then sendrecv applies, RFC 8866 §6.7).</summary>
    public SdpDirection? Direction
    {
        get
        {
            foreach (var attribute in _items)
            {
                if (attribute.Value is null && SdpDirections.TryParseDirection(attribute.Name, out var direction))
                {
                    return direction;
                }
            }

            return null;
        }

        set
        {
            var index = _items.FindIndex(a => a.Value is null && SdpDirections.TryParseDirection(a.Name, out _));
            RemoveAll(a => a.Value is null && SdpDirections.TryParseDirection(a.Name, out _));
            if (value is { } direction)
            {
                var attribute = new SdpAttribute(SdpDirections.Name(direction));
                if (index >= 0)
                {
                    _items.Insert(index, attribute);
                }
                else
                {
                    _items.Add(attribute);
                }
            }
        }
    }

    public IReadOnlyList<IceCandidate> Candidates => GetAll<IceCandidate>();

    /// <summary><c>a=end-of-candidates</c> (RFC 8840 §8.2).</summary>
    public bool EndOfCandidates
    {
        get => Has("end-of-candidates");
        set => SetFlag("end-of-candidates", value);
    }

    public IEnumerator<SdpAttribute> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void SetOrRemove(string name, string? value)
    {
        if (value is null)
        {
            RemoveAll(name);
        }
        else
        {
            Set(name, value);
        }
    }
}
