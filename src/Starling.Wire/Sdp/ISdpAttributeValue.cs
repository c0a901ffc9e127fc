using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// A typed view of one <c>a=name:value</c> attribute: parses the text after the colon and writes it back.
/// Parsing is strict (false on malformed values); the attribute list keeps the raw text either way.
/// </summary>
internal interface ISdpAttributeValue<TSelf>
    where TSelf : ISdpAttributeValue<TSelf>
{
    static abstract string AttributeName { get; }

    static abstract bool TryParse(string value, [NotNullWhen(true)] out TSelf? result);

    /// <summary>The text after <c>name:</c>.</summary>
    string ToValue();
}
