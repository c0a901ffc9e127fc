using System.Buffers.Binary;
using System.Net;

namespace Starling.Transport.Net;

/// <summary>
/// An IP address and port as a small value, for dictionary keys on the receive path. IPv4 is held in its
/// IPv4-mapped IPv6 form, so an address is the same key whether it came from an IPv4 or a dual-mode socket.
/// (<see cref="SocketAddress"/> itself is unsuitable: its equality compares whole buffers, so copies of
/// different capacity never match.)
/// </summary>
internal readonly record struct EndpointKey(ulong High, ulong Low, ushort Port)
{
    public static bool TryCreate(SocketAddress socketAddress, out EndpointKey key)
    {
        Span<byte> address = stackalloc byte[16];
        if (!SocketAddressHelper.TryGetAddress(socketAddress, address, out var length, out var port))
        {
            key = default;
            return false;
        }

        if (length == 4)
        {
            key = new EndpointKey(0, 0x0000_FFFF_0000_0000ul | BinaryPrimitives.ReadUInt32BigEndian(address), port);
            return true;
        }

        key = new EndpointKey(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), port);
        return true;
    }

    public static EndpointKey From(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        TryCreate(endPoint.Serialize(), out var key);
        return key;
    }
}
