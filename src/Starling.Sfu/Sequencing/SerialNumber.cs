namespace Starling.Sfu.Sequencing;

/// <summary>
/// Serial-number arithmetic (RFC 1982) for RTP's 16-bit sequence numbers and 32-bit timestamps: values wrap,
/// and <c>a</c> is newer than <c>b</c> when the forward distance from <c>b</c> to <c>a</c> is less than half the space.
/// </summary>
/// <remarks>
/// Exactly half the space apart (32768 for sequence numbers, 2^31 for timestamps) is undefined in RFC 1982; here
/// the signed difference is the most negative value both ways, so neither counts as newer than the other.
/// </remarks>
internal static class SerialNumber
{
    /// <summary>Signed distance from <paramref name="b"/> to <paramref name="a"/> in [-32768, 32767].</summary>
    public static int Difference(ushort a, ushort b) => (short)(ushort)(a - b);

    /// <summary>Signed distance from <paramref name="b"/> to <paramref name="a"/> in [-2^31, 2^31 - 1].</summary>
    public static long Difference(uint a, uint b) => (int)(a - b);

    /// <summary>True when <paramref name="a"/> follows <paramref name="b"/> (by 1 to 32767 steps, modulo 2^16).</summary>
    public static bool IsNewer(ushort a, ushort b) => Difference(a, b) > 0;

    /// <summary>True when <paramref name="a"/> follows <paramref name="b"/> (by 1 to 2^31 - 1 steps, modulo 2^32).</summary>
    public static bool IsNewer(uint a, uint b) => Difference(a, b) > 0;
}
