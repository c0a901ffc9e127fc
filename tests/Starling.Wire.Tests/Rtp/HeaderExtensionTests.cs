using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

public sealed class HeaderExtensionTests
{
    [Theory]
    [InlineData("30", "0")]
    [InlineData("66", "f")]
    [InlineData("617564696F", "audio")]
    [InlineData("71000000", "q")] // NUL-padded: the text ends at the first zero byte
    [InlineData("68616C665F312D32", "half_1-2")]
    public void SdesText_TryRead_Valid_ReadsText(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.True(SdesTextExtension.TryRead(bytes, out var value, out var read));

        Assert.Equal(expected, value.ToString());
        Assert.Equal(bytes.Length, read);
        Assert.True(value.Text.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(expected)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0061")]
    [InlineData("6120")]
    [InlineData("61FF")]
    [InlineData("610A")]
    public void SdesText_TryRead_EmptyOrNotPrintable_ReturnsFalse(string hex)
    {
        Assert.False(SdesTextExtension.TryRead(Convert.FromHexString(hex), out _, out var read));
        Assert.Equal(0, read);
    }

    [Fact]
    public void SdesText_TryWrite_RoundTrips()
    {
        var value = new SdesTextExtension("h"u8);
        var buffer = new byte[4];

        Assert.Equal(1, value.GetSize());
        Assert.True(value.TryWrite(buffer, out var written));
        Assert.Equal(1, written);
        Assert.Equal((byte)'h', buffer[0]);
        Assert.False(new SdesTextExtension("hi"u8).TryWrite(buffer.AsSpan(0, 1), out _));
        Assert.False(new SdesTextExtension(default).TryWrite(buffer, out _));
        Assert.False(new SdesTextExtension("a b"u8).TryWrite(buffer, out _));
    }

    [Theory]
    [InlineData(0x00, false, 0)]
    [InlineData(0x7F, false, 127)]
    [InlineData(0x80, true, 0)]
    [InlineData(0xAA, true, 42)] // RFC 6464 §3: V=1, level 42 (−42 dBov)
    [InlineData(0x1E, false, 30)]
    public void AudioLevel_RoundTrip(byte wire, bool voice, byte level)
    {
        Assert.True(AudioLevelExtension.TryRead([wire], out var value, out var read));
        Assert.Equal(new AudioLevelExtension(voice, level), value);
        Assert.Equal(1, read);

        var buffer = new byte[1];
        Assert.True(value.TryWrite(buffer, out var written));
        Assert.Equal(1, written);
        Assert.Equal(wire, buffer[0]);
    }

    [Fact]
    public void AudioLevel_EmptyOrLevelOutOfRange_ReturnsFalse()
    {
        Assert.False(AudioLevelExtension.TryRead([], out _, out _));
        Assert.False(new AudioLevelExtension(false, 128).TryWrite(new byte[1], out _));
        Assert.False(new AudioLevelExtension(false, 1).TryWrite([], out _));
        Assert.True(AudioLevelExtension.TryRead([0x85, 0, 0], out var padded, out _)); // RFC 6464 §3 two-byte form, padded
        Assert.Equal(5, padded.Level);
    }

    [Theory]
    [InlineData(0L, 0u)]
    [InlineData(1_000_000L, 0x040000u)] // 1 s = 1 << 18
    [InlineData(63_999_999L, 0xFFFFFFu)]
    [InlineData(64_000_000L, 0u)] // wraps every 64 s
    [InlineData(65_500_000L, 0x060000u)]
    [InlineData(-500_000L, 0xFE0000u)]
    public void AbsSendTime_FromMicroseconds_Is6Dot18FixedPoint(long microseconds, uint expected)
    {
        Assert.Equal(expected, AbsSendTimeExtension.FromMicroseconds(microseconds).Value);
    }

    [Fact]
    public void AbsSendTime_RoundTrip()
    {
        var value = AbsSendTimeExtension.FromMicroseconds(12_345_678);
        var buffer = new byte[3];

        Assert.True(value.TryWrite(buffer, out var written));
        Assert.Equal(3, written);
        Assert.True(AbsSendTimeExtension.TryRead(buffer, out var read, out _));
        Assert.Equal(value, read);
        Assert.InRange(read.ToMicroseconds(), 12_345_678 - 4, 12_345_678);
        Assert.Equal(Convert.FromHexString("3161F9"), buffer); // floor(12.345678 s * 2^18) = 0x3161F9
        Assert.False(AbsSendTimeExtension.TryRead(buffer.AsSpan(0, 2), out _, out _));
        Assert.False(AbsSendTimeExtension.TryRead(new byte[4], out _, out _));
        Assert.False(new AbsSendTimeExtension(0x1000000).TryWrite(buffer, out _));
    }

    [Fact]
    public void TransportSequenceNumber_RoundTrip()
    {
        Assert.True(TransportSequenceNumberExtension.TryRead([0xAB, 0xCD], out var value, out var read));
        Assert.Equal(0xABCD, value.SequenceNumber);
        Assert.Equal(2, read);

        var buffer = new byte[2];
        Assert.True(new TransportSequenceNumberExtension(0x0102).TryWrite(buffer, out var written));
        Assert.Equal(new byte[] { 1, 2 }, buffer);
        Assert.Equal(2, written);
        Assert.False(TransportSequenceNumberExtension.TryRead([1], out _, out _));
        Assert.False(TransportSequenceNumberExtension.TryRead([1, 2, 3], out _, out _));
        Assert.False(value.TryWrite(new byte[1], out _));
    }

    [Theory]
    [InlineData("0102030405060708", 0x0102030405060708ul, null)]
    [InlineData("0102030405060708FFFFFFFFFFFFFFFE", 0x0102030405060708ul, -2L)]
    public void AbsCaptureTime_RoundTrip(string hex, ulong timestamp, long? offset)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.True(AbsCaptureTimeExtension.TryRead(bytes, out var value, out var read));
        Assert.Equal(new AbsCaptureTimeExtension(timestamp, offset), value);
        Assert.Equal(bytes.Length, read);
        Assert.Equal(bytes.Length, value.GetSize());

        var buffer = new byte[16];
        Assert.True(value.TryWrite(buffer, out var written));
        Assert.Equal(bytes, buffer.AsSpan(0, written).ToArray());
        Assert.False(value.TryWrite(buffer.AsSpan(0, written - 1), out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(17)]
    public void AbsCaptureTime_OtherLengths_ReturnFalse(int length)
    {
        Assert.False(AbsCaptureTimeExtension.TryRead(new byte[length], out _, out _));
    }

    [Theory]
    [InlineData("C10102", true, true, 1, 0x0102, false, false)]
    [InlineData("800005", true, false, 0, 5, false, false)]
    [InlineData("7FFFFF", false, true, 63, 0xFFFF, false, false)]
    [InlineData("8000018000", true, false, 0, 1, true, true)]
    [InlineData("4000010000", false, true, 0, 1, true, false)]
    public void DependencyDescriptor_TryRead_MandatoryFields(string hex, bool start, bool end, byte template, ushort frame, bool extended, bool structure)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.True(DependencyDescriptorExtension.TryRead(bytes, out var value, out var read));

        Assert.Equal(start, value.StartOfFrame);
        Assert.Equal(end, value.EndOfFrame);
        Assert.Equal(template, value.TemplateId);
        Assert.Equal(frame, value.FrameNumber);
        Assert.Equal(extended, value.HasExtendedFields);
        Assert.Equal(structure, value.HasTemplateStructure);
        Assert.Equal(bytes.Length, read);

        var buffer = new byte[3];
        Assert.True(value.TryWrite(buffer, out var written));
        Assert.Equal(bytes.AsSpan(0, 3).ToArray(), buffer.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void DependencyDescriptor_ShortOrBadTemplate_ReturnsFalse()
    {
        Assert.False(DependencyDescriptorExtension.TryRead([0x80, 0], out _, out _));
        Assert.False(new DependencyDescriptorExtension(true, true, 64, 1).TryWrite(new byte[3], out _));
        Assert.False(new DependencyDescriptorExtension(true, true, 1, 1).TryWrite(new byte[2], out _));
    }

    [Fact]
    public void Extensions_InPacket_ReadThroughRtpPacket()
    {
        var buffer = new byte[128];
        var writer = new RtpPacketWriter(buffer, 96, 1, 1, 1);
        writer.AddExtension(1, "0"u8);
        writer.AddExtension(2, "h"u8);
        writer.AddExtension(3, [0xAB, 0xCD]);
        writer.AddExtension(4, [0x80, 0x00, 0x07]);
        writer.AddPayload([1]);
        Assert.True(writer.TryComplete(out var length));
        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out var packet, out _));

        Assert.True(packet.TryGetExtension(2, out var rid));
        Assert.True(SdesTextExtension.TryRead(rid, out var ridValue, out _));
        Assert.True(ridValue.Text.SequenceEqual("h"u8));
        Assert.True(packet.TryGetExtension(3, out var twcc));
        Assert.True(TransportSequenceNumberExtension.TryRead(twcc, out var seq, out _));
        Assert.Equal(0xABCD, seq.SequenceNumber);
        Assert.True(packet.TryGetExtension(4, out var dd));
        Assert.True(DependencyDescriptorExtension.TryRead(dd, out var descriptor, out _));
        Assert.Equal(7, descriptor.FrameNumber);

        // Restamp the transport-wide sequence number in place, as an SFU does per outgoing packet.
        Assert.True(RtpRewriter.TryGetExtension(buffer.AsSpan(0, length), 3, out var writable));
        Assert.True(new TransportSequenceNumberExtension(0x0001).TryWrite(writable, out _));
        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out packet, out _));
        Assert.True(packet.TryGetExtension(3, out twcc));
        Assert.Equal(new byte[] { 0, 1 }, twcc.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20260101)]
    public void TryRead_RandomValues_NeverThrows(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[24];
        for (var i = 0; i < 20_000; i++)
        {
            var value = buffer.AsSpan(0, random.Next(buffer.Length));
            random.NextBytes(value);
            SdesTextExtension.TryRead(value, out _, out _);
            AudioLevelExtension.TryRead(value, out _, out _);
            AbsSendTimeExtension.TryRead(value, out _, out _);
            TransportSequenceNumberExtension.TryRead(value, out _, out _);
            AbsCaptureTimeExtension.TryRead(value, out _, out _);
            DependencyDescriptorExtension.TryRead(value, out _, out _);
        }
    }
}
