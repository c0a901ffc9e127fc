namespace Starling.Wire.Sdp;

/// <summary>
/// One <c>a=</c> line as written: a property attribute (<c>a=rtcp-mux</c>, null <see cref="Value"/>) or a value
/// attribute (<c>a=mid:0</c>; the value is everything after the first colon, kept verbatim, possibly empty).
/// </summary>
internal sealed record SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
