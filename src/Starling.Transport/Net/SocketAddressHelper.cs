using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Starling.Transport.Net;

/// <summary>
/// Allocation-free access to a <see cref="SocketAddress"/> (a raw sockaddr): the port is at bytes 2–3 (network
/// order) for both families, the IPv4 address at 4–7 (sockaddr_in), the IPv6 address at 8–23 (sockaddr_in6).
/// IPv4-mapped IPv6 addresses from dual-mode sockets are reported as plain IPv4.
/// </summary>
internal static class SocketAddressHelper
{
    /// <summary>Writes the 4- or 16-byte address into <paramref name="address"/> (at least 16 bytes).</summary>
    public static bool TryGetAddress(SocketAddress socketAddress, Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        if (address.Length < 16)
        {
            return false;
        }

        var buffer = socketAddress.Buffer.Span;
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork when socketAddress.Size >= 8:
                port = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
                buffer.Slice(4, 4).CopyTo(address);
                addressLength = 4;
                return true;
            case AddressFamily.InterNetworkV6 when socketAddress.Size >= 24:
                port = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
                var v6 = buffer.Slice(8, 16);
                if (v6[..10].IndexOfAnyExcept((byte)0) < 0 && v6[10] == 0xFF && v6[11] == 0xFF)
                {
                    v6[12..].CopyTo(address);
                    addressLength = 4;
                }
                else
                {
                    v6.CopyTo(address);
                    addressLength = 16;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>A copy that owns its buffer: use it to keep an address a reused receive buffer pointed at.</summary>
    public static SocketAddress Clone(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/>, whose capacity must be at least
    /// <paramref name="source"/>'s size. (Equality of <see cref="SocketAddress"/> compares whole buffers, so the
    /// copy only equals the source when the capacities match; use <see cref="EndpointKey"/> as a key instead.)
    /// </summary>
    public static void CopyTo(SocketAddress source, SocketAddress destination)
    {
        destination.Size = source.Size;
        source.Buffer.Span[..source.Size].CopyTo(destination.Buffer.Span);
    }

    /// <summary>An address buffer large enough for IPv4 and IPv6, for receive loops that reuse one.</summary>
    public static SocketAddress CreateBuffer() =>
        new(AddressFamily.InterNetworkV6, SocketAddress.GetMaximumAddressSize(AddressFamily.InterNetworkV6));

    public static SocketAddress FromEndPoint(IPEndPoint endPoint) => endPoint.Serialize();

    /// <summary>The address as an <see cref="IPEndPoint"/> (allocates; for logs, tests and the control plane).</summary>
    public static IPEndPoint ToEndPoint(SocketAddress socketAddress)
    {
        Span<byte> address = stackalloc byte[16];
        if (!TryGetAddress(socketAddress, address, out var length, out var port))
        {
            return new IPEndPoint(IPAddress.None, 0);
        }

        return new IPEndPoint(new IPAddress(address[..length]), port);
    }

    public static string Format(SocketAddress socketAddress) => ToEndPoint(socketAddress).ToString();
}
