using System.Net;
using System.Text;
using Starling.Wire.Stun;

namespace Starling.Wire.Tests.Stun;

public sealed class StunMessageTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void TryRead_Rfc5769Request_ReadsEveryAttribute()
    {
        Assert.True(StunMessage.TryRead(Rfc5769Vectors.Request, out var message, out var read));

        Assert.Equal(Rfc5769Vectors.Request.Length, read);
        Assert.Equal(StunMessageType.BindingRequest, message.MessageType);
        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(StunMessageType.BindingMethod, message.Method);
        Assert.Equal(Rfc5769Vectors.TransactionId, message.TransactionIdBytes.ToArray());
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal(Rfc5769Vectors.Username, Encoding.ASCII.GetString(username));
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(message.TryGetIceControlled(out var tieBreaker));
        Assert.Equal(0x932ff9b151263b36ul, tieBreaker);
        Assert.False(message.TryGetIceControlling(out _));
        Assert.False(message.HasUseCandidate);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
        Assert.Equal(0, message.GetUnknownComprehensionRequired(stackalloc ushort[4]));
    }

    [Theory]
    [InlineData(nameof(Rfc5769Vectors.Request))]
    [InlineData(nameof(Rfc5769Vectors.ResponseIPv4))]
    [InlineData(nameof(Rfc5769Vectors.ResponseIPv6))]
    public void Verify_Rfc5769Vector_IntegrityAndFingerprintHold(string vector)
    {
        var bytes = GetVector(vector);
        Assert.True(StunMessage.TryRead(bytes, out var message, out _));

        Assert.True(message.HasMessageIntegrity);
        Assert.True(message.HasFingerprint);
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
        Assert.False(message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBu"u8));
    }

    [Theory]
    [InlineData(nameof(Rfc5769Vectors.ResponseIPv4), "192.0.2.1", 32853)]
    [InlineData(nameof(Rfc5769Vectors.ResponseIPv6), "2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    public void TryGetXorMappedAddress_Rfc5769Response_DecodesAddress(string vector, string address, int port)
    {
        Assert.True(StunMessage.TryRead(GetVector(vector), out var message, out _));

        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
        Assert.True(message.TryGetXorMappedAddress(out IPEndPoint? endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Fact]
    public void Verify_FlippedBitBeforeIntegrity_BothChecksFail()
    {
        var bytes = (byte[])Rfc5769Vectors.Request.Clone();
        bytes[30] ^= 0x01; // inside SOFTWARE

        Assert.True(StunMessage.TryRead(bytes, out var message, out _));
        Assert.False(message.VerifyMessageIntegrity(Key));
        Assert.False(message.VerifyFingerprint());
    }

    [Fact]
    public void Verify_WithoutIntegrityOrFingerprint_ReturnsFalse()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddPriority(1);
        Assert.True(writer.TryComplete(out var length));

        Assert.True(StunMessage.TryRead(buffer[..length], out var message, out _));
        Assert.False(message.VerifyMessageIntegrity(Key));
        Assert.False(message.VerifyFingerprint());
    }

    public static TheoryData<string, string> MalformedCases => new()
    {
        { "empty", "" },
        { "short header", "000100002112a442b7e7a701bc34d686fa87df" },
        { "bad cookie", "000100002112a443b7e7a701bc34d686fa87dfae" },
        { "top bits set", "400100002112a442b7e7a701bc34d686fa87dfae" },
        { "length not multiple of 4", "000100022112a442b7e7a701bc34d686fa87dfae0000" },
        { "length beyond buffer", "000100082112a442b7e7a701bc34d686fa87dfae00240004" },
        { "attribute header cut", "000100042112a442b7e7a701bc34d686fa87dfae00240008" },
        { "attribute value overruns", "000100082112a442b7e7a701bc34d686fa87dfae002400086e0001ff" },
        { "integrity wrong size", "000100082112a442b7e7a701bc34d686fa87dfae0008000400000000" },
        { "fingerprint wrong size", "0001000c2112a442b7e7a701bc34d686fa87dfae802800080000000000000000" },
        { "attribute after fingerprint", "000100102112a442b7e7a701bc34d686fa87dfae80280004000000000024000400000001" },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void TryRead_Malformed_ReturnsFalse(string name, string hex)
    {
        Assert.False(StunMessage.TryRead(Convert.FromHexString(hex), out _, out var read), name);
        Assert.Equal(0, read);
    }

    [Fact]
    public void TryRead_TrailingBytesAfterMessage_ReadsOnlyTheMessage()
    {
        var bytes = Rfc5769Vectors.ResponseIPv4.Concat(new byte[] { 1, 2, 3 }).ToArray();

        Assert.True(StunMessage.TryRead(bytes, out var message, out var read));
        Assert.Equal(Rfc5769Vectors.ResponseIPv4.Length, read);
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void TryGetAttribute_AttributeAfterIntegrity_IsIgnored()
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddUsername("a:b"u8);
        writer.AddMessageIntegrity(Key);
        writer.AddPriority(7); // not covered by the integrity check
        Assert.True(writer.TryComplete(out var length));

        Assert.True(StunMessage.TryRead(buffer[..length], out var message, out _));
        Assert.True(message.TryGetUsername(out _));
        Assert.False(message.TryGetPriority(out _));
        var count = 0;
        foreach (var attribute in message.GetAttributes())
        {
            count++;
            Assert.True(attribute.Offset >= StunMessage.HeaderSize);
        }

        Assert.Equal(3, count);
    }

    [Fact]
    public void GetUnknownComprehensionRequired_UnknownRequiredAndOptional_ReportsOnlyRequired()
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddAttribute(0x0031, "x"u8);
        writer.AddAttribute(0xC057, "yyyy"u8); // GOOG-NETWORK-INFO: comprehension-optional
        writer.AddAttribute(0x7FFF, default);
        writer.AddUsername("a:b"u8);
        Assert.True(writer.TryComplete(out var length));

        Assert.True(StunMessage.TryRead(buffer[..length], out var message, out _));
        Span<ushort> unknown = stackalloc ushort[8];
        var found = message.GetUnknownComprehensionRequired(unknown);
        Assert.Equal([0x0031, 0x7FFF], unknown[..found].ToArray());
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(420, "Unknown Attribute")]
    [InlineData(487, "Role Conflict")]
    [InlineData(699, "")]
    public void TryGetErrorCode_WrittenCode_RoundTrips(int code, string reason)
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new StunWriter(buffer, StunMessageType.BindingErrorResponse, StunTransactionId.NewRandom());
        writer.AddErrorCode(code, Encoding.UTF8.GetBytes(reason));
        writer.AddUnknownAttributes([0x0031, 0x0032, 0x0033]);
        Assert.True(writer.TryComplete(out var length));

        Assert.True(StunMessage.TryRead(buffer[..length], out var message, out _));
        Assert.Equal(StunClass.ErrorResponse, message.Class);
        Assert.True(message.TryGetErrorCode(out var readCode, out var readReason));
        Assert.Equal(code, readCode);
        Assert.Equal(reason, Encoding.UTF8.GetString(readReason));
        Span<ushort> types = stackalloc ushort[4];
        Assert.True(message.TryGetUnknownAttributes(types, out var count));
        Assert.Equal([0x0031, 0x0032, 0x0033], types[..count].ToArray());
    }

    [Fact]
    public void VerifyMessageIntegrity_LargeMessage_UsesPoolAndVerifies()
    {
        var buffer = new byte[4096];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddAttribute(StunAttributeType.Software, new byte[2000]);
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        Assert.True(writer.TryComplete(out var length));

        Assert.True(StunMessage.TryRead(buffer.AsSpan(0, length), out var message, out _));
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void VerifyMessageIntegrity_ValidRequest_DoesNotAllocate()
    {
        var bytes = Rfc5769Vectors.Request;
        Verify(bytes); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(Verify(bytes));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static bool Verify(byte[] bytes) =>
            StunMessage.TryRead(bytes, out var message, out _)
            && message.TryGetUsername(out _)
            && message.VerifyMessageIntegrity(Key)
            && message.VerifyFingerprint();
    }

    private static byte[] GetVector(string name) => name switch
    {
        nameof(Rfc5769Vectors.Request) => Rfc5769Vectors.Request,
        nameof(Rfc5769Vectors.ResponseIPv4) => Rfc5769Vectors.ResponseIPv4,
        nameof(Rfc5769Vectors.ResponseIPv6) => Rfc5769Vectors.ResponseIPv6,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
