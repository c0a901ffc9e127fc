using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

public sealed class RtpRtxTests
{
    [Fact]
    public void TryWrap_OneBytePacket_PrependsOsnAndReplacesStreamFields()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.OneByte, out var original, out _));
        var buffer = new byte[64];

        Assert.True(RtpRtx.TryWrap(original, buffer, 112, 500, 0x0BADF00D, out var written));

        Assert.Equal(RtpRtx.GetWrappedSize(original), written);
        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, written), out var rtx, out _));
        Assert.Equal(112, rtx.PayloadType);
        Assert.Equal(500, rtx.SequenceNumber);
        Assert.Equal(0x0BADF00Du, rtx.Ssrc);
        Assert.Equal(original.Timestamp, rtx.Timestamp);
        Assert.True(rtx.Marker);
        Assert.False(rtx.HasPadding);
        Assert.Equal(2, rtx.CsrcCount);
        Assert.Equal(RtpRewriterTests.Describe(original), RtpRewriterTests.Describe(rtx));
        Assert.Equal(new byte[] { 0x12, 0x34, 0xCA, 0xFE }, rtx.Payload.ToArray());
        Assert.True(RtpRtx.TryGetOriginalSequenceNumber(rtx, out var osn));
        Assert.Equal(0x1234, osn);
    }

    [Fact]
    public void TryWrapInPlace_SameBytesAsTryWrap_AndRoundTrips()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.OneByte, out var original, out _));
        var expected = new byte[64];
        Assert.True(RtpRtx.TryWrap(original, expected, 112, 500, 0x0BADF00D, out var expectedLength));
        var buffer = new byte[RtpVectors.OneByte.Length + RtpRtx.OsnSize];
        RtpVectors.OneByte.CopyTo(buffer, 0);

        Assert.True(RtpRtx.TryWrapInPlace(buffer, RtpVectors.OneByte.Length, 112, 500, 0x0BADF00D, out var length));

        Assert.Equal(expected.AsSpan(0, expectedLength).ToArray(), buffer.AsSpan(0, length).ToArray());
        Assert.True(RtpRtx.TryUnwrapInPlace(buffer.AsSpan(0, length), original.PayloadType, original.Ssrc, out var restored));
        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, restored), out var back, out _));
        Assert.Equal(original.SequenceNumber, back.SequenceNumber);
        Assert.Equal(original.Payload.ToArray(), back.Payload.ToArray());
    }

    [Fact]
    public void TryWrapInPlace_NoRoomForOsnOrMalformed_ReturnsFalse()
    {
        var exact = RtpVectors.OneByte.ToArray();
        Assert.False(RtpRtx.TryWrapInPlace(exact, exact.Length + 1, 112, 1, 1, out _));
        var noPadding = RtpVectors.OneByte.ToArray();
        Assert.True(RtpPacket.TryRead(noPadding, out var original, out _));
        var tight = new byte[original.HeaderLength + original.Payload.Length + 1];
        noPadding.AsSpan(0, tight.Length).CopyTo(tight);
        tight[0] &= 0xDF; // no padding: the packet ends one byte before the buffer does
        Assert.False(RtpRtx.TryWrapInPlace(tight, tight.Length - 1, 112, 1, 1, out _));
        Assert.False(RtpRtx.TryWrapInPlace(new byte[20], 3, 112, 1, 1, out _));
    }

    [Fact]
    public void TryUnwrap_WrappedPacket_RestoresOriginalWithoutPadding()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.OneByte, out var original, out _));
        var rtxBuffer = new byte[64];
        Assert.True(RtpRtx.TryWrap(original, rtxBuffer, 112, 500, 0x0BADF00D, out var rtxLength));
        Assert.True(RtpPacket.TryRead(rtxBuffer.AsSpan(0, rtxLength), out var rtx, out _));
        var buffer = new byte[64];

        Assert.True(RtpRtx.TryUnwrap(rtx, buffer, 111, 0x01020304, out var written));

        var expected = RtpVectors.OneByte.AsSpan(0, RtpVectors.OneByte.Length - 3).ToArray();
        expected[0] &= 0xDF;
        Assert.Equal(expected, buffer.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void TryUnwrapInPlace_WrappedPacket_RestoresOriginal()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.TwoByte, out var original, out _));
        var buffer = new byte[64];
        Assert.True(RtpRtx.TryWrap(original, buffer, 97, 9, 0x42, out var rtxLength));

        Assert.True(RtpRtx.TryUnwrapInPlace(buffer.AsSpan(0, rtxLength), 96, 0xCAFEBABE, out var length));

        Assert.Equal(RtpVectors.TwoByte, buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void TryUnwrap_PaddingOnlyProbe_ReturnsFalse()
    {
        byte[] probe = [0xA0, 0x61, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12];
        Assert.True(RtpPacket.TryRead(probe, out var rtx, out _));

        Assert.False(RtpRtx.TryGetOriginalSequenceNumber(rtx, out _));
        Assert.False(RtpRtx.TryUnwrap(rtx, new byte[64], 96, 1, out _));
        Assert.False(RtpRtx.TryUnwrapInPlace(probe, 96, 1, out _));
    }

    [Fact]
    public void TryWrap_ShortDestination_ReturnsFalse()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.Minimal, out var original, out _));
        var size = RtpRtx.GetWrappedSize(original);

        Assert.False(RtpRtx.TryWrap(original, new byte[size - 1], 97, 1, 1, out _));
        Assert.True(RtpRtx.TryWrap(original, new byte[size], 97, 1, 1, out var written));
        Assert.Equal(size, written);
        Assert.False(RtpRtx.TryWrap(default, new byte[64], 97, 1, 1, out _));
    }
}
