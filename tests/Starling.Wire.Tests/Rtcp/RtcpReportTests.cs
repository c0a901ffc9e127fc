using Starling.Wire.Rtcp;

namespace Starling.Wire.Tests.Rtcp;

public sealed class RtcpReportTests
{
    private static readonly RtcpReportBlock SenderReportBlock = new(0xBC5E9A40, 0x40, -1, 0x000146E1, 0x273, 0x11223344, 0x18000);

    [Fact]
    public void SenderReport_TryRead_ReadsSenderInfoAndBlock()
    {
        Assert.True(RtcpSenderReport.TryRead(RtcpVectors.SenderReport, out var sr, out var read));

        Assert.Equal(52, read);
        Assert.Equal(0x902F9E2Eu, sr.Ssrc);
        Assert.Equal(0xDA8BD1FCDDDDA05Aul, sr.NtpTimestamp);
        Assert.Equal(0xAAF4EDD5u, sr.RtpTimestamp);
        Assert.Equal(1u, sr.PacketCount);
        Assert.Equal(0x96u, sr.OctetCount);
        Assert.Equal(1, sr.ReportCount);
        var block = sr.GetReportBlock(0);
        Assert.Equal(SenderReportBlock, block);
        Assert.Equal(0.25, block.FractionLostRatio);
        Assert.Equal(0x46E1, block.HighestSequenceNumberLow);
        Assert.Equal(1, block.SequenceNumberCycles);
        Assert.Equal(1_500_000, RtcpReportBlock.CompactNtpToMicroseconds(block.DelaySinceLastSenderReport));
    }

    [Fact]
    public void SenderReport_TryWrite_MatchesVector()
    {
        var buffer = new byte[64];

        Assert.True(RtcpSenderReport.TryWrite(buffer, 0x902F9E2E, 0xDA8BD1FCDDDDA05A, 0xAAF4EDD5, 1, 0x96, [SenderReportBlock], out var written));

        Assert.Equal(RtcpVectors.SenderReport, buffer.AsSpan(0, written).ToArray());
        Assert.Equal(written, RtcpSenderReport.GetSize(1));
        Assert.False(RtcpSenderReport.TryWrite(buffer.AsSpan(0, 51), 1, 1, 1, 1, 1, [SenderReportBlock], out _));
        Assert.False(RtcpSenderReport.TryWrite(new byte[1024], 1, 1, 1, 1, 1, new RtcpReportBlock[32], out _));
    }

    [Fact]
    public void ReceiverReport_RoundTrip()
    {
        Assert.True(RtcpReceiverReport.TryRead(RtcpVectors.ReceiverReport, out var rr, out _));
        Assert.Equal(1u, rr.Ssrc);
        Assert.Equal(1, rr.ReportCount);
        var block = rr.GetReportBlock(0);
        Assert.Equal(new RtcpReportBlock(2, 0, 5, 1000, 20, 0, 0), block);
        Assert.Throws<ArgumentOutOfRangeException>(() => GetBlock(RtcpVectors.ReceiverReport, 1));

        var buffer = new byte[64];
        Assert.True(RtcpReceiverReport.TryWrite(buffer, 1, [block], out var written));
        Assert.Equal(RtcpVectors.ReceiverReport, buffer.AsSpan(0, written).ToArray());

        Assert.True(RtcpReceiverReport.TryWrite(buffer, 7, [], out written));
        Assert.Equal(new byte[] { 0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 7 }, buffer.AsSpan(0, written).ToArray());
    }

    [Theory]
    [InlineData(nameof(RtcpVectors.SenderReport), 0, 0x82)] // RC 2 but one block
    [InlineData(nameof(RtcpVectors.ReceiverReport), 0, 0x82)]
    [InlineData(nameof(RtcpVectors.SenderReport), 1, 201)] // wrong type
    [InlineData(nameof(RtcpVectors.ReceiverReport), 1, 200)]
    public void Reports_TryRead_Malformed_ReturnsFalse(string vector, int index, byte value)
    {
        var bytes = RtcpVectors.Get(vector);
        bytes[index] = value;

        var ok = vector == nameof(RtcpVectors.SenderReport)
            ? RtcpSenderReport.TryRead(bytes, out _, out _)
            : RtcpReceiverReport.TryRead(bytes, out _, out _);
        Assert.False(ok);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(100, 100, 0)]
    [InlineData(100, 110, 0)] // duplicates: negative loss reports 0
    [InlineData(100, 75, 64)] // 25 % = 64/256
    [InlineData(100, 0, 255)]
    [InlineData(3, 2, 85)]
    public void ComputeFractionLost_Rfc3550A3(long expected, long received, byte fraction)
    {
        Assert.Equal(fraction, RtcpReportBlock.ComputeFractionLost(expected, received));
    }

    [Theory]
    [InlineData(5L, 5)]
    [InlineData(-3L, -3)]
    [InlineData(0x7FFFFFL, 0x7FFFFF)]
    [InlineData(0x800000L, 0x7FFFFF)]
    [InlineData(-0x800000L, -0x800000)]
    [InlineData(-0x900000L, -0x800000)]
    public void ClampCumulativeLost_Signed24Bit(long lost, int expected)
    {
        Assert.Equal(expected, RtcpReportBlock.ClampCumulativeLost(lost));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-0x800000)]
    [InlineData(0x7FFFFF)]
    [InlineData(0)]
    public void ReportBlock_CumulativeLost_RoundTripsSigned(int lost)
    {
        var block = new RtcpReportBlock(1, 2, lost, 3, 4, 5, 6);
        var buffer = new byte[24];

        Assert.True(block.TryWrite(buffer, out _));
        Assert.True(RtcpReportBlock.TryRead(buffer, out var read, out _));
        Assert.Equal(block, read);
        var tooBig = block with { CumulativeLost = 0x800000 };
        Assert.False(tooBig.TryWrite(buffer, out _));
    }

    [Fact]
    public void RoundTripTime_Rfc3550Example_Is6Point125Seconds()
    {
        // RFC 3550 §6.4.1 figure: LSR 0xb705:2000 (46853.125 s), DLSR 0x0005:4000 (5.250 s), the RR arrives at
        // A = 0xb710:8000 (46864.500 s); A - LSR - DLSR = 0x0006:2000 = 6.125 s.
        var block = new RtcpReportBlock(1, 0, 0, 0, 0, 0xB7052000, 0x00054000);

        Assert.True(block.TryGetRoundTripTime(0xB7108000, out var rtt));
        Assert.Equal(6_125_000, rtt);
        var noSenderReport = block with { LastSenderReport = 0 };
        Assert.False(noSenderReport.TryGetRoundTripTime(0xB7108000, out _));
        Assert.False(block.TryGetRoundTripTime(0xB7052000, out _)); // arrives before LSR + DLSR
    }

    [Fact]
    public void NtpHelpers_Convert()
    {
        Assert.Equal(0xD1FCDDDDu, RtcpReportBlock.ToCompactNtp(0xDA8BD1FCDDDDA05A));
        Assert.Equal(0x18000u, RtcpReportBlock.ToDelaySinceLastSenderReport(1_500_000));
        Assert.Equal(0u, RtcpReportBlock.ToDelaySinceLastSenderReport(-5));
        Assert.Equal(uint.MaxValue, RtcpReportBlock.ToDelaySinceLastSenderReport(long.MaxValue));
    }

    private static RtcpReportBlock GetBlock(byte[] bytes, int index)
    {
        RtcpReceiverReport.TryRead(bytes, out var rr, out _);
        return rr.GetReportBlock(index);
    }
}
