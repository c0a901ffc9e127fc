using Starling.Wire.Rtcp;

namespace Starling.Wire.Tests.Rtcp;

public sealed class RtcpFeedbackTests
{
    [Fact]
    public void Nack_TryRead_EnumeratesLostSequenceNumbers()
    {
        Assert.True(RtcpNack.TryRead(RtcpVectors.Nack, out var nack, out var read));

        Assert.Equal(20, read);
        Assert.Equal(1u, nack.SenderSsrc);
        Assert.Equal(2u, nack.MediaSsrc);
        Assert.Equal(2, nack.PairCount);
        Assert.Equal(((ushort)100, (ushort)5), nack.GetPair(0));
        Assert.Equal([100, 101, 103, 65535, 15], Lost(nack));
    }

    [Theory]
    [InlineData(new ushort[] { 100, 101, 103, 65535, 15 }, "0064 0005 FFFF 8000")]
    [InlineData(new ushort[] { 7 }, "0007 0000")]
    [InlineData(new ushort[] { 1, 17 }, "0001 8000")]
    [InlineData(new ushort[] { 1, 18 }, "0001 0000 0012 0000")]
    [InlineData(new ushort[] { 65530, 65535, 0, 4 }, "FFFA 0230")]
    [InlineData(new ushort[] { 10, 5, 6 }, "000A 0000 0005 0001")]
    public void Nack_TryWrite_PacksPairs(ushort[] lost, string pairs)
    {
        var buffer = new byte[64];

        Assert.True(RtcpNack.TryWrite(buffer, 1, 2, lost, out var written));

        Assert.Equal(RtcpNack.GetSize(lost), written);
        Assert.Equal(pairs.Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToHexString(buffer, 12, written - 12));
        Assert.True(RtcpNack.TryRead(buffer.AsSpan(0, written), out var nack, out _));
        Assert.Equal(lost.Order().ToArray(), Lost(nack).Order().ToArray());
    }

    [Fact]
    public void Nack_TryWrite_MatchesVector()
    {
        var buffer = new byte[64];

        Assert.True(RtcpNack.TryWrite(buffer, 1, 2, [100, 101, 103, 65535, 15], out var written));

        Assert.Equal(RtcpVectors.Nack, buffer.AsSpan(0, written).ToArray());
        Assert.False(RtcpNack.TryWrite(buffer, 1, 2, [], out _));
        Assert.False(RtcpNack.TryWrite(buffer.AsSpan(0, 15), 1, 2, [1], out _));
    }

    [Theory]
    [InlineData("no pairs", 3, 0x02)]
    [InlineData("FMT is not NACK", 0, 0x8F)]
    [InlineData("payload-specific", 1, 0xCE)]
    public void Nack_TryRead_Malformed_ReturnsFalse(string reason, int index, byte value)
    {
        var bytes = RtcpVectors.Nack;
        bytes[index] = value;

        Assert.False(RtcpNack.TryRead(bytes.AsSpan(0, index == 3 ? 12 : bytes.Length), out _, out _), reason);
    }

    [Fact]
    public void Pli_RoundTrip()
    {
        Assert.True(RtcpPli.TryRead(RtcpVectors.Pli, out var pli, out var read));
        Assert.Equal(new RtcpPli(1, 2), pli);
        Assert.Equal(12, read);

        var buffer = new byte[12];
        Assert.True(pli.TryWrite(buffer, out var written));
        Assert.Equal(RtcpVectors.Pli, buffer.AsSpan(0, written).ToArray());
        Assert.False(pli.TryWrite(buffer.AsSpan(0, 11), out _));
        Assert.False(RtcpPli.TryRead(RtcpVectors.Fir, out _, out _));
    }

    [Fact]
    public void Fir_RoundTrip()
    {
        Assert.True(RtcpFir.TryRead(RtcpVectors.Fir, out var fir, out _));
        Assert.Equal(1u, fir.SenderSsrc);
        Assert.Equal(0u, fir.MediaSsrc);
        Assert.Equal(1, fir.EntryCount);
        Assert.Equal(new RtcpFirEntry(0x0A0B0C0D, 5), fir.GetEntry(0));
        Assert.True(fir.TryGetEntry(0x0A0B0C0D, out var entry));
        Assert.Equal(5, entry.SequenceNumber);
        Assert.False(fir.TryGetEntry(1, out _));

        var buffer = new byte[64];
        Assert.True(RtcpFir.TryWrite(buffer, 1, [new RtcpFirEntry(0x0A0B0C0D, 5)], out var written));
        Assert.Equal(RtcpVectors.Fir, buffer.AsSpan(0, written).ToArray());
        Assert.True(RtcpFir.TryWrite(buffer, 1, [new(1, 1), new(2, 2)], out written));
        Assert.Equal(28, written);
        Assert.False(RtcpFir.TryWrite(buffer, 1, [], out _));
        Assert.False(RtcpFir.TryRead(RtcpVectors.Pli, out _, out _));
    }

    [Fact]
    public void Remb_TryRead_ReadsBitrateAndSsrcs()
    {
        Assert.True(RtcpRemb.TryRead(RtcpVectors.Remb, out var remb, out _));

        Assert.Equal(1u, remb.SenderSsrc);
        Assert.Equal(1_000_000ul, remb.Bitrate);
        Assert.Equal(2, remb.SsrcCount);
        Assert.Equal(0x11u, remb.GetSsrc(0));
        Assert.Equal(0x22u, remb.GetSsrc(1));
    }

    [Fact]
    public void Remb_TryWrite_MatchesVector()
    {
        var buffer = new byte[64];

        Assert.True(RtcpRemb.TryWrite(buffer, 1, 1_000_000, [0x11, 0x22], out var written));

        Assert.Equal(RtcpVectors.Remb, buffer.AsSpan(0, written).ToArray());
    }

    [Theory]
    [InlineData(0ul, 0, 0u)]
    [InlineData(262_143ul, 0, 262_143u)]
    [InlineData(262_144ul, 1, 131_072u)]
    [InlineData(1_000_000ul, 2, 250_000u)]
    [InlineData(1_000_001ul, 2, 250_000u)] // rounds down
    [InlineData(ulong.MaxValue, 46, 262_143u)]
    public void Remb_Encode_MantissaExponent(ulong bitrate, byte exponent, uint mantissa)
    {
        Assert.Equal((exponent, mantissa), RtcpRemb.Encode(bitrate));
    }

    [Theory]
    [InlineData("not REMB", 12, 0x41)]
    [InlineData("more SSRCs than present", 16, 0x03)]
    [InlineData("bitrate overflows 64 bits", 17, 0xFF)]
    public void Remb_TryRead_Malformed_ReturnsFalse(string reason, int index, byte value)
    {
        var bytes = RtcpVectors.Remb;
        bytes[index] = value;

        Assert.False(RtcpRemb.TryRead(bytes, out _, out _), reason);
    }

    [Theory]
    [MemberData(nameof(RtcpVectors.All), MemberType = typeof(RtcpVectors))]
    public void EveryReader_EveryTruncation_ReturnsFalse(string vector)
    {
        var bytes = RtcpVectors.Get(vector);
        Assert.True(ReadAny(bytes), vector);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.False(ReadAny(bytes.AsSpan(0, cut)), $"{vector} cut at {cut}");
        }
    }

    internal static bool ReadAny(ReadOnlySpan<byte> bytes) =>
        RtcpSenderReport.TryRead(bytes, out _, out _)
        | RtcpReceiverReport.TryRead(bytes, out _, out _)
        | RtcpSdes.TryRead(bytes, out _, out _)
        | RtcpBye.TryRead(bytes, out _, out _)
        | RtcpNack.TryRead(bytes, out _, out _)
        | RtcpPli.TryRead(bytes, out _, out _)
        | RtcpFir.TryRead(bytes, out _, out _)
        | RtcpRemb.TryRead(bytes, out _, out _)
        | RtcpTransportCc.TryRead(bytes, out _, out _);

    private static List<ushort> Lost(RtcpNack nack)
    {
        var lost = new List<ushort>();
        foreach (var sequenceNumber in nack.GetLostSequenceNumbers())
        {
            lost.Add(sequenceNumber);
        }

        return lost;
    }
}
