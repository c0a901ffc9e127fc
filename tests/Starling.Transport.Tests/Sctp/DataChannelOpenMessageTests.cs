using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class DataChannelOpenMessageTests
{
    [Fact]
    public void Lossy_Vector_ReadsAndWrites()
    {
        // RFC 8832 §5.1: OPEN, PARTIAL_RELIABLE_REXMIT_UNORDERED (0x81), priority 256, 0 retransmits, "_lossy".
        var bytes = Convert.FromHexString("038101000000000000060000" + "5F6C6F737379");
        Assert.True(DataChannelOpenMessage.TryRead(bytes, out var open, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(DataChannelType.PartialReliableRexmitUnordered, open.ChannelType);
        Assert.False(open.IsOrdered);
        Assert.Equal(0, open.MaxRetransmits);
        Assert.Null(open.MaxPacketLifeTime);
        Assert.Equal(256, open.Priority);
        Assert.Equal("_lossy"u8.ToArray(), open.Label.ToArray());
        Assert.True(open.Protocol.IsEmpty);

        var written = new byte[bytes.Length];
        Assert.True(new DataChannelOpenMessage(DataChannelType.PartialReliableRexmitUnordered, 256, 0, "_lossy"u8, []).TryWrite(written, out _));
        Assert.Equal(bytes, written);
    }

    [Theory]
    [InlineData(true, null, null, 0x00)] // DATA_CHANNEL_RELIABLE
    [InlineData(false, null, null, 0x80)] // DATA_CHANNEL_RELIABLE_UNORDERED
    [InlineData(true, 3, null, 0x01)] // DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT
    [InlineData(false, 0, null, 0x81)] // ..._REXMIT_UNORDERED (LiveKit _lossy)
    [InlineData(true, null, 500, 0x02)] // DATA_CHANNEL_PARTIAL_RELIABLE_TIMED
    [InlineData(false, null, 500, 0x82)] // ..._TIMED_UNORDERED
    public void GetChannelType_Reliability_MapsPerRfc8832(bool ordered, int? rexmit, int? lifetimeMs, byte expected) =>
        Assert.Equal((DataChannelType)expected, DataChannelOpenMessage.GetChannelType(ordered, rexmit, lifetimeMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null));

    [Theory]
    [InlineData("0300010000000000000500")] // shorter than the header
    [InlineData("030001000000000000050000" + "5F6C6F73")] // label truncated
    [InlineData("037F01000000000000000000")] // unknown channel type
    [InlineData("020001000000000000000000")] // not an OPEN
    public void TryRead_Malformed_ReturnsFalse(string hex) =>
        Assert.False(DataChannelOpenMessage.TryRead(Convert.FromHexString(hex), out _, out _));
}
