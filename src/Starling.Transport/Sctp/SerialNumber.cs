namespace Starling.Transport.Sctp;

/// <summary>
/// Serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit SSNs (RFC 9260 §1.6):
/// <c>a</c> precedes <c>b</c> when <c>b - a</c>, taken modulo 2^n, lies in (0, 2^(n-1)).
/// </summary>
internal static class SerialNumber
{
    public static bool Lt(uint a, uint b) => (int)(a - b) < 0;

    public static bool Le(uint a, uint b) => (int)(a - b) <= 0;

    public static bool Gt(uint a, uint b) => (int)(a - b) > 0;

    public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;

    public static uint Max(uint a, uint b) => Gt(a, b) ? a : b;

    public static bool Lt(ushort a, ushort b) => (short)(a - b) < 0;

    public static bool Le(ushort a, ushort b) => (short)(a - b) <= 0;

    public static bool Gt(ushort a, ushort b) => (short)(a - b) > 0;
}
