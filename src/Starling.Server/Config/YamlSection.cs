using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Starling.Server.Config;

/// <summary>
/// A YAML mapping being bound to options. Remembers which keys were read so the loader can reject the rest
/// with their full dotted path; typed readers raise <see cref="ConfigException"/> naming the key.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly string _prefix;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<YamlSection> _children = [];

    public YamlSection(YamlMappingNode node, string prefix)
    {
        _node = node;
        _prefix = prefix;
    }

    private string PathOf(string key) => _prefix.Length == 0 ? key : _prefix + "." + key;

    private YamlNode? Take(string key)
    {
        _read.Add(key);
        foreach (var entry in _node.Children)
        {
            if (entry.Key is YamlScalarNode { Value: { } k } && k == key)
            {
                return entry.Value is YamlScalarNode { Value: null or "" or "~" or "null" } s && s.Style == YamlDotNet.Core.ScalarStyle.Plain ? null : entry.Value;
            }
        }

        return null;
    }

    /// <summary>Marks keys LiveKit knows but Starling does not implement: accepted with a warning.</summary>
    public void Ignore(List<string> warnings, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (Take(key) is not null)
            {
                warnings.Add($"{PathOf(key)} is not supported by Starling yet and is ignored");
            }
        }
    }

    public YamlSection? Section(string key)
    {
        var node = Take(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            throw new ConfigException($"{PathOf(key)}: expected a mapping of keys");
        }

        var child = new YamlSection(map, PathOf(key));
        _children.Add(child);
        return child;
    }

    public string? String(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlScalarNode s => s.Value,
            _ => throw new ConfigException($"{PathOf(key)}: expected a single value"),
        };
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        return text?.ToLowerInvariant() switch
        {
            null => null,
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw new ConfigException($"{PathOf(key)}: expected true or false, got '{text}'"),
        };
    }

    public long? Integer(string key, long min, long max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigException($"{PathOf(key)}: expected a whole number from {min} to {max}, got '{text}'");
        }

        return value;
    }

    public double? Number(string key, double min, double max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
        {
            throw new ConfigException($"{PathOf(key)}: expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
        }

        return value;
    }

    public int? Port(string key, bool allowZero = false) => (int?)Integer(key, allowZero ? 0 : 1, 65535);

    public List<string>? StringList(string key)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode s:
                return s.Value is null ? [] : [s.Value];
            case YamlSequenceNode seq:
                var list = new List<string>();
                foreach (var item in seq.Children)
                {
                    if (item is not YamlScalarNode { Value: { } v })
                    {
                        throw new ConfigException($"{PathOf(key)}: expected a list of values");
                    }

                    list.Add(v);
                }

                return list;
            default:
                throw new ConfigException($"{PathOf(key)}: expected a list of values");
        }
    }

    public Dictionary<string, string>? StringMap(string key)
    {
        var node = Take(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            throw new ConfigException($"{PathOf(key)}: expected a mapping like 'name: value'");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.Children)
        {
            if (entry.Key is not YamlScalarNode { Value: { } k } || entry.Value is not YamlScalarNode { Value: { } v })
            {
                throw new ConfigException($"{PathOf(key)}: expected a mapping like 'name: value'");
            }

            result[k] = v;
        }

        return result;
    }

    /// <summary>Every key present in this section or its children that nothing read, as dotted paths.</summary>
    public IEnumerable<string> UnreadKeys()
    {
        foreach (var entry in _node.Children)
        {
            var key = (entry.Key as YamlScalarNode)?.Value ?? entry.Key.ToString();
            if (!_read.Contains(key))
            {
                yield return PathOf(key);
            }
        }

        foreach (var child in _children)
        {
            foreach (var path in child.UnreadKeys())
            {
                yield return path;
            }
        }
    }
}
