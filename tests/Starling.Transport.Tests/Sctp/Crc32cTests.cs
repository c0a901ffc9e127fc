using System.Text;
using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class Crc32cTests
{
    public static TheoryData<string, byte[], uint> Vectors => new()
    {
        // RFC 3720 §B.4 (the CRC is shown there least significant byte first, e.g. "aa 36 91 8a").
        { "32 bytes of zeros", new byte[32], 0x8A9136AA },
        { "32 bytes of 0xFF", Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0x62A8AB43 },
        { "32 incrementing bytes", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46DD794E },
        { "32 decrementing bytes", Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113FDB5C },
        {
            "iSCSI read command PDU",
            Convert.FromHexString(
                "01C00000000000000000000000000000" +
                "14000000000004000000001400000018" +
                "28000000000000000200000000000000"),
            0xD9963A56
        },
        { "check value 123456789", Encoding.ASCII.GetBytes("123456789"), 0xE3069283 },
        { "empty", [], 0x00000000 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_KnownAnswerVectors_Match(string name, byte[] data, uint expected)
    {
        Assert.True(Crc32c.Compute(data) == expected, $"{name}: {Crc32c.Compute(data):X8}");
        Assert.True(Crc32c.ComputeTableDriven(data) == expected, $"{name} (table): {Crc32c.ComputeTableDriven(data):X8}");
    }

    [Fact]
    public void Compute_RandomLengths_TableAndHardwarePathsAgree()
    {
        var random = new Random(7);
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Crc32c.ComputeTableDriven(data), Crc32c.Compute(data));
        }
    }

    [Fact]
    public void SctpChecksum_WrittenLittleEndianAndVerified()
    {
        // Common header for ports 5000/5000, tag 0, followed by 32 zero bytes: the checksum covers the packet with
        // its checksum field taken as zero, and is stored least significant byte first (RFC 9260 Appendix A).
        var packet = new byte[12 + 20];
        new SctpCommonHeader(5000, 5000, 0, 0).TryWrite(packet, out _);
        SctpCommonHeader.WriteChecksum(packet);
        var copy = (byte[])packet.Clone();
        copy[8] = copy[9] = copy[10] = copy[11] = 0;
        var crc = Crc32c.Compute(copy);
        Assert.Equal(new[] { (byte)crc, (byte)(crc >> 8), (byte)(crc >> 16), (byte)(crc >> 24) }, packet[8..12]);
        Assert.True(SctpCommonHeader.HasValidChecksum(packet));
        packet[20] ^= 1;
        Assert.False(SctpCommonHeader.HasValidChecksum(packet));
    }

    [Fact]
    public void ComputeSctpChecksum_AllocatesNothing()
    {
        var packet = new byte[1200];
        Crc32c.ComputeSctpChecksum(packet);
        Crc32c.ComputeTableDriven(packet);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Crc32c.ComputeSctpChecksum(packet);
            Crc32c.ComputeTableDriven(packet);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
