using Starling.Transport.Srtp;

namespace Starling.Transport.Tests.Srtp;

public sealed class AesCounterModeTests
{
    private static readonly byte[] SessionKey = Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] Offset = Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    [Theory]
    [InlineData(0x0000, "E03EAD0935C95E80E166B16DD92B4EB4")]
    [InlineData(0x0001, "D23513162B02D0F72A43A2FE4A5F97AB")]
    [InlineData(0x0002, "41E95B3BB0A2E8DD477901E4FCA894C0")]
    [InlineData(0xFEFF, "EC8CDF7398607CB0F2D21675EA9EA1E4")]
    [InlineData(0xFF00, "362B7C3C6773516318A077D7FC5073AE")]
    [InlineData(0xFF01, "6A2CC3787889374FBEB4C81B17BA6C44")]
    public void Apply_Rfc3711AppendixB2_ProducesKeystreamBlock(int counter, string expected)
    {
        using var aes = new AesCounterMode(SessionKey);
        var keystream = new byte[(counter + 1) * 16];

        aes.Apply(Offset, keystream);

        Assert.Equal(Hex.Bytes(expected), keystream[(counter * 16)..]);
    }

    [Fact]
    public void Apply_Twice_RestoresInput()
    {
        using var aes = new AesCounterMode(SessionKey);
        var data = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var original = (byte[])data.Clone();

        aes.Apply(Offset, data);
        Assert.NotEqual(original, data);
        aes.Apply(Offset, data);

        Assert.Equal(original, data);
    }

    [Fact]
    public void Apply_UnalignedLength_MatchesPrefixOfLongerKeystream()
    {
        using var aes = new AesCounterMode(SessionKey);
        var full = new byte[2048 + 32];
        var partial = new byte[2048 + 5];

        aes.Apply(Offset, full);
        aes.Apply(Offset, partial);

        Assert.Equal(full[..partial.Length], partial);
    }
}
