using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// DATA_CHANNEL_OPEN (RFC 8832 §5.1), sent with PPID 50 on the stream the channel will use. Label and protocol
/// are UTF-8. The reliability parameter is the retransmission count (rexmit types) or lifetime in ms (timed types)
/// and is ignored for reliable types. DATA_CHANNEL_ACK (§5.2) is the single byte 0x02.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Message Type |  Channel Type |            Priority           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Reliability Parameter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Label Length          |       Protocol Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                             Label                             \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                            Protocol                           \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct DataChannelOpenMessage
{
    public const int HeaderSize = 12;

    public DataChannelOpenMessage(DataChannelType channelType, ushort priority, uint reliabilityParameter, ReadOnlySpan<byte> label, ReadOnlySpan<byte> protocol)
    {
        ChannelType = channelType;
        Priority = priority;
        ReliabilityParameter = reliabilityParameter;
        Label = label;
        Protocol = protocol;
    }

    public DataChannelType ChannelType { get; }

    public ushort Priority { get; }

    public uint ReliabilityParameter { get; }

    public ReadOnlySpan<byte> Label { get; }

    public ReadOnlySpan<byte> Protocol { get; }

    public bool IsOrdered => ((byte)ChannelType & 0x80) == 0;

    public int? MaxRetransmits => ((byte)ChannelType & 0x7F) == 0x01 ? (int)Math.Min(ReliabilityParameter, int.MaxValue) : null;

    public TimeSpan? MaxPacketLifeTime => ((byte)ChannelType & 0x7F) == 0x02 ? TimeSpan.FromMilliseconds(ReliabilityParameter) : null;

    /// <summary>Builds the open message for a channel's reliability settings.</summary>
    public static DataChannelType GetChannelType(bool ordered, int? maxRetransmits, TimeSpan? maxPacketLifeTime)
    {
        byte type = maxRetransmits is not null ? (byte)0x01 : maxPacketLifeTime is not null ? (byte)0x02 : (byte)0x00;
        return (DataChannelType)(type | (ordered ? 0 : 0x80));
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out DataChannelOpenMessage message, out int consumed)
    {
        message = default;
        consumed = 0;
        if (source.Length < HeaderSize || source[0] != (byte)DcepMessageType.DataChannelOpen)
        {
            return false;
        }

        var type = (DataChannelType)source[1];
        if (!Enum.IsDefined(type))
        {
            return false;
        }

        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(source[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(source[10..]);
        if (source.Length < HeaderSize + labelLength + protocolLength)
        {
            return false;
        }

        message = new DataChannelOpenMessage(
            type,
            BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            source.Slice(HeaderSize, labelLength),
            source.Slice(HeaderSize + labelLength, protocolLength));
        consumed = HeaderSize + labelLength + protocolLength;
        return true;
    }

    public int GetSize() => HeaderSize + Label.Length + Protocol.Length;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (Label.Length > ushort.MaxValue || Protocol.Length > ushort.MaxValue || destination.Length < GetSize())
        {
            return false;
        }

        destination[0] = (byte)DcepMessageType.DataChannelOpen;
        destination[1] = (byte)ChannelType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Priority);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ReliabilityParameter);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)Label.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)Protocol.Length);
        Label.CopyTo(destination[HeaderSize..]);
        Protocol.CopyTo(destination[(HeaderSize + Label.Length)..]);
        written = GetSize();
        return true;
    }
}
