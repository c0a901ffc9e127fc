using System.Net;
using Starling.Transport.Net;

namespace Starling.Transport.Tests.Net;

public sealed class SocketAddressHelperTests
{
    [Theory]
    [InlineData("192.0.2.1:32853", 4)]
    [InlineData("[2001:db8::1]:443", 16)]
    [InlineData("[::ffff:10.77.0.2]:5000", 4)]
    public void TryGetAddress_Endpoints_ReadsAddressAndPort(string endPoint, int expectedLength)
    {
        var parsed = IPEndPoint.Parse(endPoint);
        Span<byte> address = stackalloc byte[16];

        Assert.True(SocketAddressHelper.TryGetAddress(parsed.Serialize(), address, out var length, out var port));

        Assert.Equal(expectedLength, length);
        Assert.Equal(parsed.Port, port);
        var expected = parsed.Address.IsIPv4MappedToIPv6 ? parsed.Address.MapToIPv4() : parsed.Address;
        Assert.Equal(expected, new IPAddress(address[..length]));
    }

    [Fact]
    public void CopyTo_ReusedBufferAcrossFamilies_KeepsTheSameEndpointKey()
    {
        var buffer = SocketAddressHelper.CreateBuffer();
        var v4 = IPEndPoint.Parse("10.0.0.1:1");
        var v6 = IPEndPoint.Parse("[2001:db8::1]:2");

        SocketAddressHelper.CopyTo(v4.Serialize(), buffer);
        Assert.True(EndpointKey.TryCreate(buffer, out var key));
        Assert.Equal(EndpointKey.From(v4), key);
        Assert.Equal(v4, SocketAddressHelper.ToEndPoint(buffer));
        SocketAddressHelper.CopyTo(v6.Serialize(), buffer);
        Assert.Equal(v6, SocketAddressHelper.ToEndPoint(buffer));
        SocketAddressHelper.CopyTo(v4.Serialize(), buffer);
        Assert.Equal(v4, SocketAddressHelper.ToEndPoint(SocketAddressHelper.Clone(buffer)));
    }

    [Fact]
    public void EndpointKey_IPv4AndMappedIPv6_AreTheSameKey()
    {
        Assert.Equal(EndpointKey.From(IPEndPoint.Parse("10.0.0.1:5")), EndpointKey.From(IPEndPoint.Parse("[::ffff:10.0.0.1]:5")));
        Assert.NotEqual(EndpointKey.From(IPEndPoint.Parse("10.0.0.1:5")), EndpointKey.From(IPEndPoint.Parse("10.0.0.1:6")));
    }
}
