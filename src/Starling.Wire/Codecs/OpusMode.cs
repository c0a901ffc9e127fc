namespace Starling.Wire.Codecs;

/// <summary>Opus coding mode selected by the TOC configuration (RFC 6716 §3.1, Table 2).</summary>
internal enum OpusMode
{
    Silk = 0,
    Hybrid,
    Celt,
}
