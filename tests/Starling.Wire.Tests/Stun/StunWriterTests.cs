using System.Net;
using System.Text;
using Starling.Wire.Stun;

namespace Starling.Wire.Tests.Stun;

public sealed class StunWriterTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes(Rfc5769Vectors.Password);

    private static StunTransactionId VectorId
    {
        get
        {
            StunTransactionId.TryRead(Rfc5769Vectors.TransactionId, out var id, out _);
            return id;
        }
    }

    [Fact]
    public void Write_Rfc5769Request_ReproducesVectorExactly()
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, VectorId) { PaddingByte = 0x20 };
        writer.AddSoftware("STUN test client"u8);
        writer.AddPriority(0x6e0001ff);
        writer.AddIceControlled(0x932ff9b151263b36);
        writer.AddUsername(Encoding.ASCII.GetBytes(Rfc5769Vectors.Username));
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();

        Assert.True(writer.TryComplete(out var length));
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.Request), Convert.ToHexString(buffer[..length]));
    }

    [Theory]
    [InlineData("192.0.2.1", true)]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677", false)]
    public void Write_Rfc5769Response_ReproducesVectorExactly(string address, bool ipv4)
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, VectorId) { PaddingByte = 0x20 };
        writer.AddSoftware("test vector"u8);
        writer.AddXorMappedAddress(IPAddress.Parse(address).GetAddressBytes(), 32853);
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();

        Assert.True(writer.TryComplete(out var length));
        var expected = ipv4 ? Rfc5769Vectors.ResponseIPv4 : Rfc5769Vectors.ResponseIPv6;
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer[..length]));
    }

    [Fact]
    public void Write_IceCheckWithUseCandidate_ReadsBack()
    {
        var id = StunTransactionId.NewRandom();
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, id);
        writer.AddUsername("abcd:efgh"u8);
        writer.AddIceControlling(42);
        writer.AddUseCandidate();
        writer.AddPriority(1853824767);
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        Assert.True(writer.TryComplete(out var length));

        Assert.True(StunMessage.TryRead(buffer[..length], out var message, out _));
        Assert.Equal(id, message.TransactionId);
        Assert.True(message.HasUseCandidate);
        Assert.True(message.TryGetIceControlling(out var tieBreaker));
        Assert.Equal(42ul, tieBreaker);
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(1853824767u, priority);
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Theory]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(27)]
    [InlineData(50)]
    public void Add_BufferTooSmall_FailsAndStaysFailed(int size)
    {
        Span<byte> buffer = stackalloc byte[size];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, StunTransactionId.NewRandom());
        writer.AddUsername("0123456789"u8);
        writer.AddMessageIntegrity(Key);
        writer.AddPriority(1);

        Assert.False(writer.TryComplete(out var length));
        Assert.Equal(0, length);
        Assert.True(writer.Failed);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(5)]
    public void AddXorMappedAddress_BadAddressLength_Fails(int addressLength)
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, StunTransactionId.NewRandom());
        Assert.False(writer.AddXorMappedAddress(new byte[addressLength], 1));
        Assert.False(writer.TryComplete(out _));
    }

    [Theory]
    [InlineData(299)]
    [InlineData(700)]
    public void AddErrorCode_OutOfRange_Fails(int code)
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new StunWriter(buffer, StunMessageType.BindingErrorResponse, StunTransactionId.NewRandom());
        Assert.False(writer.AddErrorCode(code, default));
    }

    [Fact]
    public void Write_SuccessResponse_DoesNotAllocate()
    {
        var buffer = new byte[128];
        var address = new byte[] { 10, 0, 0, 1 };
        var id = StunTransactionId.NewRandom();
        Write(buffer, address, id);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Write(buffer, address, id);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Write(byte[] buffer, byte[] address, StunTransactionId id)
        {
            var writer = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, id);
            writer.AddXorMappedAddress(address, 5000);
            writer.AddMessageIntegrity(Key);
            writer.AddFingerprint();
            Assert.True(writer.TryComplete(out _));
        }
    }

    [Theory]
    [InlineData(0x001, (int)StunClass.Request, 0x0001)]
    [InlineData(0x001, (int)StunClass.Indication, 0x0011)]
    [InlineData(0x001, (int)StunClass.SuccessResponse, 0x0101)]
    [InlineData(0x001, (int)StunClass.ErrorResponse, 0x0111)]
    [InlineData(0x003, (int)StunClass.Request, 0x0003)]
    [InlineData(0xFFF, (int)StunClass.ErrorResponse, 0x3FFF)]
    [InlineData(0x080, (int)StunClass.Request, 0x0200)]
    public void Compose_MethodAndClass_MatchesRfc8489Layout(int method, int classValue, int expected)
    {
        var messageClass = (StunClass)classValue;
        var type = StunMessageType.Compose((ushort)method, messageClass);

        Assert.Equal(expected, type);
        Assert.Equal(method, StunMessageType.GetMethod(type));
        Assert.Equal(messageClass, StunMessageType.GetClass(type));
    }
}
