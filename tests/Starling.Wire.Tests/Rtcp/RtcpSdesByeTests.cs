using Starling.Wire.Rtcp;

namespace Starling.Wire.Tests.Rtcp;

public sealed class RtcpSdesByeTests
{
    [Fact]
    public void Sdes_TryRead_FindsCname()
    {
        Assert.True(RtcpSdes.TryRead(RtcpVectors.Sdes, out var sdes, out var read));

        Assert.Equal(28, read);
        Assert.Equal(1, sdes.ChunkCount);
        Assert.True(sdes.TryGetCname(0x902F9E2E, out var cname));
        Assert.True(cname.SequenceEqual("user@example.com"u8));
        Assert.True(sdes.TryGetCname(null, out _));
        Assert.False(sdes.TryGetCname(1, out _));
    }

    [Fact]
    public void Sdes_TwoChunks_EnumeratesEveryItem()
    {
        byte[] bytes =
        [
            0x82, 0xCA, 0x00, 0x06,
            0x00, 0x00, 0x00, 0x01, 0x01, 0x01, (byte)'a', 0x00, // chunk 1: CNAME "a", 1 null
            0x00, 0x00, 0x00, 0x02, 0x02, 0x02, (byte)'b', (byte)'c', 0x01, 0x02, (byte)'d', (byte)'e', // chunk 2: NAME "bc", CNAME "de"
            0x00, 0x00, 0x00, 0x00, // chunk 2: null item + padding to 32 bits
        ];

        Assert.True(RtcpSdes.TryRead(bytes, out var sdes, out _));

        var items = new List<string>();
        foreach (var item in sdes.GetItems())
        {
            items.Add($"{item.Ssrc}:{item.Type}:{System.Text.Encoding.ASCII.GetString(item.Text)}");
        }

        Assert.Equal(["1:1:a", "2:2:bc", "2:1:de"], items);
        Assert.True(sdes.TryGetCname(2, out var cname));
        Assert.True(cname.SequenceEqual("de"u8));
    }

    [Theory]
    [InlineData("item longer than the packet", 9, 0x20)]
    [InlineData("missing null terminator", 26, 0x01)]
    [InlineData("more chunks than present", 0, 0x82)]
    public void Sdes_TryRead_Malformed_ReturnsFalse(string reason, int index, byte value)
    {
        var bytes = RtcpVectors.Sdes;
        bytes[index] = value;
        if (index == 26)
        {
            bytes[27] = 0x01; // item type 1 with length 1 running past the end
        }

        Assert.False(RtcpSdes.TryRead(bytes, out _, out _), reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(255)]
    public void Sdes_TryWriteCname_RoundTrips(int length)
    {
        var cname = new byte[length];
        Array.Fill(cname, (byte)'x');
        var buffer = new byte[300];

        Assert.True(RtcpSdes.TryWriteCname(buffer, 42, cname, out var written));

        Assert.Equal(RtcpSdes.GetCnameSize(length), written);
        Assert.Equal(0, written % 4);
        Assert.True(RtcpSdes.TryRead(buffer.AsSpan(0, written), out var sdes, out _));
        Assert.True(sdes.TryGetCname(42, out var read));
        Assert.Equal(cname, read.ToArray());
    }

    [Fact]
    public void Sdes_TryWriteCname_MatchesVector()
    {
        var buffer = new byte[64];

        Assert.True(RtcpSdes.TryWriteCname(buffer, 0x902F9E2E, "user@example.com"u8, out var written));

        Assert.Equal(RtcpVectors.Sdes, buffer.AsSpan(0, written).ToArray());
        Assert.False(RtcpSdes.TryWriteCname(buffer, 1, [], out _));
        Assert.False(RtcpSdes.TryWriteCname(buffer.AsSpan(0, 27), 0x902F9E2E, "user@example.com"u8, out _));
    }

    [Fact]
    public void Bye_RoundTrip()
    {
        Assert.True(RtcpBye.TryRead(RtcpVectors.Bye, out var bye, out _));
        Assert.Equal(1, bye.SourceCount);
        Assert.Equal(0x902F9E2Eu, bye.GetSsrc(0));
        Assert.True(bye.Reason.SequenceEqual("done"u8));

        var buffer = new byte[64];
        Assert.True(RtcpBye.TryWrite(buffer, [0x902F9E2E], "done"u8, out var written));
        Assert.Equal(RtcpVectors.Bye, buffer.AsSpan(0, written).ToArray());

        Assert.True(RtcpBye.TryWrite(buffer, [1, 2], default, out written));
        Assert.Equal(12, written);
        Assert.True(RtcpBye.TryRead(buffer.AsSpan(0, written), out bye, out _));
        Assert.Equal(2u, bye.GetSsrc(1));
        Assert.True(bye.Reason.IsEmpty);
    }

    [Fact]
    public void Bye_ReasonPastTheEnd_ReturnsFalse()
    {
        var bytes = RtcpVectors.Bye;
        bytes[8] = 8;

        Assert.False(RtcpBye.TryRead(bytes, out _, out _));
    }
}
