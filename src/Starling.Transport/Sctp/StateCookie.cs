using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Starling.Transport.Sctp;

/// <summary>
/// Our State Cookie (RFC 9260 §5.1.3): everything needed to build the association from a COOKIE ECHO without
/// keeping state after answering an INIT, signed with HMAC-SHA-256 under a per-association secret and stamped
/// with its creation time and lifetime. The format is private to this implementation (the peer echoes it).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Version = 1  | Peer caps (1) |           Reserved            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             Creation time (Unix ms, 64 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       Lifetime (ms)                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Local Verification Tag (our Initiate Tag)           |
/// |                       Local Initial TSN                       |
/// |            Peer Verification Tag (its Initiate Tag)           |
/// |                       Peer Initial TSN                        |
/// |                        Peer a_rwnd                            |
/// |  Peer Outbound Streams        |  Peer Inbound Streams         |
/// |                        Local Tie-Tag                          |
/// |                        Peer Tie-Tag                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \             HMAC-SHA-256 over the 48 bytes above              \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Peer caps: 0x01 FORWARD-TSN (RFC 3758), 0x02 RE-CONFIG (RFC 6525).
/// </summary>
internal readonly record struct StateCookie(
    long CreatedUnixMs,
    uint LifetimeMs,
    uint LocalTag,
    uint LocalInitialTsn,
    uint PeerTag,
    uint PeerInitialTsn,
    uint PeerReceiverWindow,
    ushort PeerOutboundStreams,
    ushort PeerInboundStreams,
    uint LocalTieTag,
    uint PeerTieTag,
    bool PeerSupportsForwardTsn,
    bool PeerSupportsReConfig)
{
    public const int BodySize = 48;
    public const int MacSize = 32;
    public const int Size = BodySize + MacSize;
    public const int KeySize = 32;
    private const byte Version = 1;

    /// <summary>Verifies the signature and reads the cookie. False for anything tampered, truncated or foreign.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, ReadOnlySpan<byte> key, out StateCookie cookie, out int consumed)
    {
        cookie = default;
        consumed = 0;
        if (source.Length < Size || source[0] != Version)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacSize];
        HMACSHA256.HashData(key, source[..BodySize], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, source.Slice(BodySize, MacSize)))
        {
            return false;
        }

        var caps = source[1];
        cookie = new StateCookie(
            BinaryPrimitives.ReadInt64BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[24..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[28..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[32..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[36..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[38..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[40..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[44..]),
            (caps & 0x01) != 0,
            (caps & 0x02) != 0);
        consumed = Size;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, ReadOnlySpan<byte> key, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        destination[0] = Version;
        destination[1] = (byte)((PeerSupportsForwardTsn ? 0x01 : 0) | (PeerSupportsReConfig ? 0x02 : 0));
        destination[2] = 0;
        destination[3] = 0;
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], CreatedUnixMs);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], LifetimeMs);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LocalTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], LocalInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], PeerTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], PeerInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[32..], PeerReceiverWindow);
        BinaryPrimitives.WriteUInt16BigEndian(destination[36..], PeerOutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[38..], PeerInboundStreams);
        BinaryPrimitives.WriteUInt32BigEndian(destination[40..], LocalTieTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[44..], PeerTieTag);
        HMACSHA256.HashData(key, destination[..BodySize], destination.Slice(BodySize, MacSize));
        written = Size;
        return true;
    }

    public bool IsExpired(long nowUnixMs) => nowUnixMs - CreatedUnixMs > LifetimeMs || nowUnixMs < CreatedUnixMs - 1000;
}
