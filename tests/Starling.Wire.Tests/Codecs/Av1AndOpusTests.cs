using Starling.Wire.Codecs;

namespace Starling.Wire.Tests.Codecs;

public sealed class Av1AndOpusTests
{
    [Theory]
    [InlineData(0x18, false, false, 1, true)] // W=1 N=1: key frame
    [InlineData(0x10, false, false, 1, false)]
    [InlineData(0xC0, true, true, 0, false)] // Z Y, elements with lengths
    [InlineData(0x38, false, false, 3, true)]
    public void Av1_AggregationHeader_RoundTrip(byte wire, bool z, bool y, byte w, bool n)
    {
        Assert.True(Av1AggregationHeader.TryRead([wire, 0x0A], out var header, out var read));

        Assert.Equal(new Av1AggregationHeader(z, y, w, n), header);
        Assert.Equal(1, read);
        Assert.Equal(n, Av1AggregationHeader.IsKeyFrame([wire]));
        var buffer = new byte[1];
        Assert.True(header.TryWrite(buffer, out _));
        Assert.Equal(wire, buffer[0]);
    }

    [Fact]
    public void Av1_EmptyOrBadCount_ReturnsFalse()
    {
        Assert.False(Av1AggregationHeader.TryRead([], out _, out _));
        Assert.False(Av1AggregationHeader.IsKeyFrame([]));
        Assert.False(new Av1AggregationHeader(false, false, 4, false).TryWrite(new byte[1], out _));
    }

    [Theory]
    [InlineData(0x78, 15, false, 0, (int)OpusMode.Hybrid, (int)OpusBandwidth.Fullband, 20_000)] // libwebrtc's usual TOC
    [InlineData(0xFC, 31, true, 0, (int)OpusMode.Celt, (int)OpusBandwidth.Fullband, 20_000)]
    [InlineData(0x08, 1, false, 0, (int)OpusMode.Silk, (int)OpusBandwidth.Narrowband, 20_000)]
    [InlineData(0x4B, 9, false, 3, (int)OpusMode.Silk, (int)OpusBandwidth.Wideband, 20_000)]
    [InlineData(0x18, 3, false, 0, (int)OpusMode.Silk, (int)OpusBandwidth.Narrowband, 60_000)]
    [InlineData(0x60, 12, false, 0, (int)OpusMode.Hybrid, (int)OpusBandwidth.SuperWideband, 10_000)]
    [InlineData(0x80, 16, false, 0, (int)OpusMode.Celt, (int)OpusBandwidth.Narrowband, 2_500)]
    [InlineData(0xA1, 20, false, 1, (int)OpusMode.Celt, (int)OpusBandwidth.Wideband, 2_500)]
    [InlineData(0xDA, 27, false, 2, (int)OpusMode.Celt, (int)OpusBandwidth.SuperWideband, 20_000)]
    [InlineData(0x20, 4, false, 0, (int)OpusMode.Silk, (int)OpusBandwidth.Mediumband, 10_000)]
    public void OpusToc_Rfc6716Table2(byte wire, byte config, bool stereo, byte code, int mode, int bandwidth, int frameMicroseconds)
    {
        Assert.True(OpusToc.TryRead([wire], out var toc, out _));

        Assert.Equal(new OpusToc(config, stereo, code), toc);
        Assert.Equal((OpusMode)mode, toc.Mode);
        Assert.Equal((OpusBandwidth)bandwidth, toc.Bandwidth);
        Assert.Equal(frameMicroseconds, toc.FrameDurationMicroseconds);
        var buffer = new byte[1];
        Assert.True(toc.TryWrite(buffer, out _));
        Assert.Equal(wire, buffer[0]);
    }

    [Theory]
    [InlineData("78", 1, 20_000)]
    [InlineData("79AABB", 2, 40_000)] // code 1: two equal frames
    [InlineData("7A01AA", 2, 40_000)] // code 2
    [InlineData("0303", 3, 30_000)] // code 3, M = 3 SILK 10 ms frames
    [InlineData("8330", 48, 120_000)] // code 3, M = 48 CELT 2.5 ms frames
    public void Opus_FrameCountAndDuration(string hex, int frames, int microseconds)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.True(OpusToc.TryGetFrameCount(bytes, out var count));
        Assert.Equal(frames, count);
        Assert.True(OpusToc.TryGetDuration(bytes, out var duration));
        Assert.Equal(microseconds, duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("03")] // code 3 without the frame count byte
    [InlineData("0300")] // M = 0
    [InlineData("1B03")] // 3 × 60 ms > 120 ms
    public void Opus_Malformed_DurationFalse(string hex)
    {
        Assert.False(OpusToc.TryGetDuration(Convert.FromHexString(hex), out var duration));
        Assert.Equal(0, duration);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)] // DTX: a bare TOC byte
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(80, false)]
    public void Opus_IsSilence_ThreeBytesOrLess(int length, bool silence)
    {
        var payload = new byte[length];
        Array.Fill(payload, (byte)0x78);

        Assert.Equal(silence, OpusToc.IsSilence(payload));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20260101)]
    public void CodecReaders_RandomBytes_NeverThrow(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[32];
        var writable = new byte[32];
        for (var i = 0; i < 20_000; i++)
        {
            var payload = buffer.AsSpan(0, random.Next(buffer.Length));
            random.NextBytes(payload);
            if (Vp8PayloadDescriptor.TryRead(payload, out var vp8, out var read))
            {
                Assert.Equal(vp8.Size, read);
                Assert.InRange(read, 1, payload.Length);
            }

            Vp8PayloadDescriptor.IsKeyFrame(payload);
            payload.CopyTo(writable);
            Vp8PayloadDescriptor.TrySetPictureId(writable.AsSpan(0, payload.Length), 77);
            Vp8PayloadDescriptor.TrySetTl0PicIdx(writable.AsSpan(0, payload.Length), 77);
            if (Vp9PayloadDescriptor.TryRead(payload, out var vp9, out read))
            {
                Assert.Equal(vp9.Size, read);
                Assert.InRange(read, 1, payload.Length);
                Vp9PayloadDescriptor.TryGetResolution(payload, 0, out _, out _);
            }

            H264Payload.IsKeyFrame(payload);
            H264Payload.TryGetNalUnitType(payload, out _);
            Av1AggregationHeader.IsKeyFrame(payload);
            OpusToc.TryGetDuration(payload, out _);
        }
    }
}
