namespace Starling.Wire.Sdp;

/// <summary>One rid in an <c>a=simulcast</c> stream list; <c>~</c> marks it paused (RFC 8853 §5.1).</summary>
internal sealed record SdpSimulcastRid(string Id, bool Paused = false)
{
    public override string ToString() => Paused ? "~" + Id : Id;
}
