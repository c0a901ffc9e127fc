using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

public sealed class RtpPacketWriterTests
{
    [Fact]
    public void Writer_MinimalPacket_MatchesVector()
    {
        var buffer = new byte[64];
        var writer = new RtpPacketWriter(buffer, 96, 1, 2, 0x12345678);

        Assert.True(writer.AddPayload("ABC"u8));
        Assert.True(writer.TryComplete(out var length));

        Assert.Equal(RtpVectors.Minimal, buffer.AsSpan(0, length).ToArray());
        Assert.Equal(length, writer.Length);
    }

    [Fact]
    public void Writer_CsrcsOneByteExtensionsPadding_ParsesBack()
    {
        var buffer = new byte[64];
        var writer = new RtpPacketWriter(buffer, 111, 0x1234, 0xDEADBEEF, 0x01020304, marker: true);
        Assert.True(writer.AddCsrc(0x11111111));
        Assert.True(writer.AddCsrc(0x22222222));
        Assert.True(writer.AddExtension(1, [0xAA]));
        Assert.True(writer.AddExtension(2, [0xBB, 0xCC]));
        Assert.True(writer.TryReserveExtension(3, 4, out var value));
        value.Fill(7);
        Assert.True(writer.AddPayload([0xCA, 0xFE]));
        Assert.True(writer.TryComplete(out var length, paddingLength: 3));

        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out var packet, out _));
        Assert.True(packet.Marker);
        Assert.Equal(111, packet.PayloadType);
        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(0x22222222u, packet.GetCsrc(1));
        Assert.Equal(RtpExtensionForm.OneByte, packet.ExtensionForm);
        Assert.Equal("1:AA 2:BBCC 3:07070707", RtpRewriterTests.Describe(packet));
        Assert.Equal(0, packet.ExtensionData.Length % 4);
        Assert.Equal(new byte[] { 0xCA, 0xFE }, packet.Payload.ToArray());
        Assert.Equal(3, packet.PaddingLength);
    }

    [Fact]
    public void Writer_ElementNeedingTwoBytes_ConvertsBlockToRfc8285Figure()
    {
        var buffer = new byte[64];
        var writer = new RtpPacketWriter(buffer, 96, 7, 0x100, 0xCAFEBABE);
        Assert.True(writer.AddExtension(2, [0xDD]));
        Assert.True(writer.AddExtension(3, [1, 2, 3, 4]));
        Assert.True(writer.AddExtension(1, []));
        Assert.True(writer.AddPayload([0x55, 0x66, 0x77]));
        Assert.True(writer.TryComplete(out var length));

        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, length), out var packet, out _));
        Assert.Equal(RtpExtensionForm.TwoByte, packet.ExtensionForm);
        Assert.Equal("2:DD 3:01020304 1:", RtpRewriterTests.Describe(packet));
        Assert.Equal(RtpVectors.TwoByteHeaderLength, packet.HeaderLength);
        Assert.Equal(new byte[] { 0x55, 0x66, 0x77 }, packet.Payload.ToArray());
    }

    [Theory]
    [InlineData(15, 1)]
    [InlineData(200, 4)]
    [InlineData(1, 17)]
    [InlineData(1, 255)]
    public void Writer_TwoByteOnlyElement_UsesTwoByteForm(byte id, int length)
    {
        var buffer = new byte[400];
        var writer = new RtpPacketWriter(buffer, 96, 1, 1, 1);
        Assert.True(writer.TryReserveExtension(id, length, out _));
        Assert.True(writer.TryComplete(out var written));

        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, written), out var packet, out _));
        Assert.Equal(RtpExtensionForm.TwoByte, packet.ExtensionForm);
        Assert.True(packet.TryGetExtension(id, out var value));
        Assert.Equal(length, value.Length);
    }

    [Fact]
    public void Writer_OutOfOrderOrBadArguments_Fails()
    {
        var buffer = new byte[64];

        var csrcAfterExtension = new RtpPacketWriter(buffer, 96, 1, 1, 1);
        csrcAfterExtension.AddExtension(1, [1]);
        Assert.False(csrcAfterExtension.AddCsrc(5));
        Assert.True(csrcAfterExtension.Failed);
        Assert.Equal(0, csrcAfterExtension.Length);

        var extensionAfterPayload = new RtpPacketWriter(buffer, 96, 1, 1, 1);
        extensionAfterPayload.AddPayload([1]);
        Assert.False(extensionAfterPayload.AddExtension(1, [1]));

        var idZero = new RtpPacketWriter(buffer, 96, 1, 1, 1);
        Assert.False(idZero.AddExtension(0, [1]));

        var tooManyCsrcs = new RtpPacketWriter(new byte[200], 96, 1, 1, 1);
        for (var i = 0; i < 15; i++)
        {
            Assert.True(tooManyCsrcs.AddCsrc((uint)i));
        }

        Assert.False(tooManyCsrcs.AddCsrc(15));

        var badPayloadType = new RtpPacketWriter(buffer, 128, 1, 1, 1);
        Assert.True(badPayloadType.Failed);

        var twice = new RtpPacketWriter(buffer, 96, 1, 1, 1);
        Assert.True(twice.TryComplete(out _));
        Assert.False(twice.TryComplete(out _));
    }

    [Fact]
    public void Writer_EveryShortBuffer_FailsWithoutThrowing()
    {
        var full = new byte[64];
        var expected = Build(full);
        Assert.True(expected > 0);
        for (var size = 0; size < expected; size++)
        {
            Assert.Equal(0, Build(new byte[size]));
        }

        static int Build(Span<byte> buffer)
        {
            var writer = new RtpPacketWriter(buffer, 96, 1, 1, 1);
            writer.AddCsrc(9);
            writer.AddExtension(1, [1, 2, 3]);
            writer.AddExtension(2, [4]);
            writer.AddExtension(20, [5]);
            writer.AddPayload([6, 7, 8]);
            return writer.TryComplete(out var length, 4) ? length : 0;
        }
    }
}
