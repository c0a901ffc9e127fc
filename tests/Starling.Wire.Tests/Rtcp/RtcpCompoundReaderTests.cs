using Starling.Wire.Rtcp;

namespace Starling.Wire.Tests.Rtcp;

public sealed class RtcpCompoundReaderTests
{
    [Fact]
    public void Reader_SrSdesNack_YieldsEachPacket()
    {
        byte[] compound = [.. RtcpVectors.SenderReport, .. RtcpVectors.Sdes, .. RtcpVectors.Nack];

        var types = new List<(byte Type, byte Count, int Size)>();
        var reader = new RtcpCompoundReader(compound);
        foreach (var packet in reader)
        {
            types.Add((packet.PacketType, packet.Count, packet.Span.Length));
        }

        Assert.Equal(
            [(RtcpPacketType.SenderReport, (byte)1, 52), (RtcpPacketType.SourceDescription, (byte)1, 28), (RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.Nack, 20)],
            types);
        Assert.True(RtcpCompoundReader.Validate(compound));
    }

    [Fact]
    public void Reader_PaddedPacketInTheMiddle_StripsPaddingAndContinues()
    {
        byte[] compound = [.. RtcpVectors.TransportCcRun, .. RtcpVectors.Pli];
        var reader = new RtcpCompoundReader(compound);

        Assert.True(reader.MoveNext());
        Assert.True(reader.Current.Header.Padding);
        Assert.Equal(32 - 4 - 3, reader.Current.Payload.Length);
        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpPacketType.PayloadFeedback, reader.Current.PacketType);
        Assert.False(reader.MoveNext());
        Assert.False(reader.IsMalformed);
    }

    [Theory]
    [InlineData("trailing bytes", 3)]
    [InlineData("a second header cut short", 4)]
    public void Reader_GarbageAfterPacket_SetsMalformed(string reason, int extra)
    {
        byte[] compound = [.. RtcpVectors.Pli, .. new byte[extra]];
        compound[12] = 0x80;
        if (extra >= 4)
        {
            compound[15] = 0x10;
        }

        var reader = new RtcpCompoundReader(compound);
        Assert.True(reader.MoveNext());
        Assert.False(reader.MoveNext(), reason);
        Assert.True(reader.IsMalformed);
        Assert.False(RtcpCompoundReader.Validate(compound));
    }

    [Theory]
    [InlineData("version 1", 0, 0x41)]
    [InlineData("length past the end", 3, 0x03)]
    [InlineData("padding count zero", 11, 0x00)]
    [InlineData("padding past the payload", 11, 0x09)]
    public void RtcpPacket_TryRead_Malformed_ReturnsFalse(string reason, int index, byte value)
    {
        var bytes = RtcpVectors.Pli;
        bytes[0] |= 0x20; // P: the last byte (0x02) is the padding count
        Assert.True(RtcpPacket.TryRead(bytes, out var padded, out _));
        Assert.Equal(6, padded.Payload.Length);
        bytes[index] = value;

        Assert.False(RtcpPacket.TryRead(bytes, out _, out var read), reason);
        Assert.Equal(0, read);
    }

    [Fact]
    public void Validate_Empty_ReturnsFalse()
    {
        Assert.False(RtcpCompoundReader.Validate([]));
    }

    [Fact]
    public void Header_RoundTrip()
    {
        var header = new RtcpHeader(true, 31, 206, 0x1234);
        var buffer = new byte[4];

        Assert.True(header.TryWrite(buffer, out var written));
        Assert.Equal(4, written);
        Assert.Equal(new byte[] { 0xBF, 206, 0x12, 0x34 }, buffer);
        Assert.True(RtcpHeader.TryRead(buffer, out var read, out _));
        Assert.Equal(header, read);
        Assert.Equal((0x1234 + 1) * 4, read.PacketSize);
        Assert.False(new RtcpHeader(false, 32, 200, 0).TryWrite(buffer, out _));
        Assert.False(RtcpHeader.TryRead(buffer.AsSpan(0, 3), out _, out _));
    }
}
