namespace Starling.Transport.Tests.Srtp;

/// <summary>Hex literals for test vectors; whitespace is ignored.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
