namespace Starling.Wire.Sdp;

/// <summary>A line kept verbatim (<c>i=</c>, <c>u=</c>, <c>e=</c>, <c>p=</c>, <c>r=</c>, <c>z=</c>, <c>k=</c> or an unknown type).</summary>
internal readonly record struct SdpLine(char Type, string Value)
{
    public override string ToString() => $"{Type}={Value}";
}
