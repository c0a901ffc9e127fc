using Starling.Wire.Rtp;

namespace Starling.Wire.Tests.Rtp;

public sealed class RedPayloadTests
{
    [Theory]
    [InlineData(new byte[] { 111, 1, 2, 3 }, true, 1, 3, 111)] // primary only
    [InlineData(new byte[] { 0x80 | 111, 0x0F, 0x00, 2, 111, 7, 7, 1, 2 }, true, 7, 2, 111)] // one redundant block of 2
    [InlineData(new byte[] { 0x80 | 111, 0, 0, 1, 0x80 | 111, 0, 0, 1, 111, 5, 6, 9 }, true, 11, 1, 111)] // two redundant blocks
    [InlineData(new byte[] { 0x80 | 111, 0, 0, 0, 111 }, true, 5, 0, 111)] // empty blocks
    [InlineData(new byte[] { 0x80 | 111, 0, 0 }, false, 0, 0, 0)] // truncated block header
    [InlineData(new byte[] { 0x80 | 111, 0, 0, 9, 111, 1 }, false, 0, 0, 0)] // block longer than the payload
    [InlineData(new byte[] { 0x80 | 111, 0, 0, 1 }, false, 0, 0, 0)] // no primary header
    [InlineData(new byte[0], false, 0, 0, 0)]
    public void TryGetPrimary_Cases(byte[] payload, bool ok, int offset, int length, byte pt)
    {
        Assert.Equal(ok, RedPayload.TryGetPrimary(payload, out var o, out var l, out var p));
        if (ok)
        {
            Assert.Equal((offset, length, pt), (o, l, p));
        }
    }

    [Fact]
    public void TryGetPrimary_RandomAndTruncatedInput_NeverThrowsOrEscapes()
    {
        var random = new Random(2198);
        var buffer = new byte[300];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            var payload = buffer.AsSpan(0, random.Next(buffer.Length));
            if (RedPayload.TryGetPrimary(payload, out var offset, out var length, out _))
            {
                Assert.InRange(offset, 1, payload.Length);
                Assert.Equal(payload.Length, offset + length);
            }
        }
    }
}
