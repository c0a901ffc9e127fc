using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

public sealed class RtpPacketTests
{
    [Fact]
    public void TryRead_MinimalPacket_ReadsFixedHeader()
    {
        var bytes = RtpVectors.Minimal;

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out var read));

        Assert.Equal(bytes.Length, read);
        Assert.Equal(2, packet.Version);
        Assert.False(packet.HasPadding);
        Assert.False(packet.HasExtension);
        Assert.False(packet.Marker);
        Assert.Equal(0, packet.CsrcCount);
        Assert.Equal(96, packet.PayloadType);
        Assert.Equal(1, packet.SequenceNumber);
        Assert.Equal(2u, packet.Timestamp);
        Assert.Equal(0x12345678u, packet.Ssrc);
        Assert.Equal(12, packet.HeaderLength);
        Assert.Equal(0, packet.PaddingLength);
        Assert.Equal("ABC"u8.ToArray(), packet.Payload.ToArray());
        Assert.Equal(RtpExtensionForm.None, packet.ExtensionForm);
        Assert.Equal(0, packet.ExtensionProfile);
        Assert.True(packet.ExtensionData.IsEmpty);
        Assert.False(packet.GetExtensions().MoveNext());
        Assert.False(packet.TryGetExtension(1, out _));
    }

    [Fact]
    public void TryRead_CsrcExtensionAndPadding_ReadsEveryField()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.OneByte, out var packet, out _));

        Assert.True(packet.HasPadding);
        Assert.True(packet.HasExtension);
        Assert.True(packet.Marker);
        Assert.Equal(111, packet.PayloadType);
        Assert.Equal(0x1234, packet.SequenceNumber);
        Assert.Equal(0xDEADBEEFu, packet.Timestamp);
        Assert.Equal(0x01020304u, packet.Ssrc);
        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(0x11111111u, packet.GetCsrc(0));
        Assert.Equal(0x22222222u, packet.GetCsrc(1));
        Assert.Equal(8, packet.CsrcBytes.Length);
        Assert.Equal(RtpVectors.OneByteHeaderLength, packet.HeaderLength);
        Assert.Equal(3, packet.PaddingLength);
        Assert.Equal(new byte[] { 0xCA, 0xFE }, packet.Payload.ToArray());
        Assert.Equal(0xBEDE, packet.ExtensionProfile);
        Assert.Equal(RtpExtensionForm.OneByte, packet.ExtensionForm);
        Assert.Equal(24, packet.ExtensionOffset);
        Assert.Equal(12, packet.ExtensionData.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => GetCsrc(RtpVectors.OneByte, 2));
    }

    [Theory]
    [InlineData(nameof(RtpVectors.OneByte), 1, "AA")]
    [InlineData(nameof(RtpVectors.OneByte), 2, "BBCC")]
    [InlineData(nameof(RtpVectors.OneByte), 3, "01020304")]
    [InlineData(nameof(RtpVectors.TwoByte), 1, "")]
    [InlineData(nameof(RtpVectors.TwoByte), 2, "DD")]
    [InlineData(nameof(RtpVectors.TwoByte), 3, "01020304")]
    public void TryGetExtension_Rfc8285Figures_FindsValue(string vector, byte id, string hex)
    {
        Assert.True(RtpPacket.TryRead(GetVector(vector), out var packet, out _));

        Assert.True(packet.TryGetExtension(id, out var value));
        Assert.Equal(hex, Convert.ToHexString(value));
        Assert.False(packet.TryGetExtension(4, out _));
        Assert.False(packet.TryGetExtension(0, out _));
    }

    [Theory]
    [InlineData(nameof(RtpVectors.OneByte), "1:AA 2:BBCC 3:01020304")]
    [InlineData(nameof(RtpVectors.TwoByte), "1: 2:DD 3:01020304")]
    public void GetExtensions_Rfc8285Figures_EnumeratesInOrderSkippingPadding(string vector, string expected)
    {
        var bytes = GetVector(vector);
        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));

        var parts = new List<string>();
        foreach (var extension in packet.GetExtensions())
        {
            parts.Add($"{extension.Id}:{Convert.ToHexString(extension.Value)}");
            Assert.Equal(extension.Value.ToArray(), bytes.AsSpan(extension.Offset, extension.Value.Length).ToArray());
        }

        Assert.Equal(expected, string.Join(' ', parts));
    }

    [Fact]
    public void TryRead_TwoByteAppBits_IsTwoByteForm()
    {
        var bytes = RtpVectors.TwoByte;
        bytes[13] = 0x05; // 0x1005: appbits 5 (RFC 8285 §4.3)

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.Equal(RtpExtensionForm.TwoByte, packet.ExtensionForm);
        Assert.True(packet.TryGetExtension(3, out _));
    }

    [Fact]
    public void TryRead_OneByteId15_StopsProcessing()
    {
        var bytes = RtpVectors.OneByte;
        bytes[26] = 0xF1; // id 15 where id 2 was: the rest of the block is ignored (RFC 8285 §4.2)

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.True(packet.TryGetExtension(1, out _));
        Assert.False(packet.TryGetExtension(3, out _));
    }

    [Fact]
    public void TryRead_UnknownProfile_IsOpaque()
    {
        var bytes = RtpVectors.OneByte;
        bytes[20] = 0xAB;
        bytes[21] = 0xCD;

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.Equal(RtpExtensionForm.Other, packet.ExtensionForm);
        Assert.Equal(0xABCD, packet.ExtensionProfile);
        Assert.Equal(12, packet.ExtensionData.Length);
        Assert.Equal(RtpVectors.OneByteHeaderLength, packet.HeaderLength);
        Assert.False(packet.TryGetExtension(1, out _));
    }

    [Fact]
    public void TryRead_PaddingOnly_HasEmptyPayload()
    {
        byte[] bytes = [0xA0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4];

        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        Assert.Equal(4, packet.PaddingLength);
        Assert.True(packet.Payload.IsEmpty);
    }

    [Theory]
    [InlineData("version 0", 0, 0x32)]
    [InlineData("version 1", 0, 0x72)]
    [InlineData("version 3", 0, 0xF2)]
    [InlineData("CSRC count past the end", 0, 0xBF)]
    [InlineData("extension length past the end", 23, 0x20)]
    [InlineData("element overruns the block", 31, 0x3F)]
    [InlineData("padding count zero", 40, 0x00)]
    [InlineData("padding longer than the payload", 40, 0x06)]
    public void TryRead_Malformed_ReturnsFalse(string reason, int index, byte value)
    {
        var bytes = RtpVectors.OneByte;
        bytes[index] = value;

        Assert.False(RtpPacket.TryRead(bytes, out _, out var read), reason);
        Assert.Equal(0, read);
    }

    [Fact]
    public void TryRead_TwoByteElementHeaderCut_ReturnsFalse()
    {
        // Block of one word: id 2 length 1 value DD, then an id byte with no length byte.
        byte[] bytes = [0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x10, 0x00, 0x00, 0x01, 0x02, 0x01, 0xDD, 0x03];

        Assert.False(RtpPacket.TryRead(bytes, out _, out _));
    }

    [Theory]
    [InlineData(nameof(RtpVectors.Minimal), 12)]
    [InlineData(nameof(RtpVectors.TwoByte), RtpVectors.TwoByteHeaderLength)]
    public void TryRead_EveryTruncation_FalseInsideHeaderShorterPayloadAfter(string vector, int headerLength)
    {
        var bytes = GetVector(vector);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var ok = RtpPacket.TryRead(bytes.AsSpan(0, cut), out var packet, out _);
            Assert.Equal(cut >= headerLength, ok);
            if (ok)
            {
                Assert.Equal(cut - headerLength, packet.Payload.Length);
            }
        }
    }

    [Fact]
    public void TryRead_EveryTruncationWithPadding_NeverThrows()
    {
        var bytes = RtpVectors.OneByte;
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            // The last byte is now a payload byte read as the padding count: only counts that fit pass.
            if (RtpPacket.TryRead(bytes.AsSpan(0, cut), out var packet, out _))
            {
                Assert.True(cut >= RtpVectors.OneByteHeaderLength + packet.PaddingLength);
            }
        }

        Assert.False(RtpPacket.TryRead(bytes.AsSpan(0, RtpVectors.OneByteHeaderLength - 1), out _, out _));
    }

    internal static byte[] GetVector(string name) => name switch
    {
        nameof(RtpVectors.Minimal) => RtpVectors.Minimal,
        nameof(RtpVectors.OneByte) => RtpVectors.OneByte,
        nameof(RtpVectors.TwoByte) => RtpVectors.TwoByte,
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static uint GetCsrc(byte[] bytes, int index)
    {
        RtpPacket.TryRead(bytes, out var packet, out _);
        return packet.GetCsrc(index);
    }
}
