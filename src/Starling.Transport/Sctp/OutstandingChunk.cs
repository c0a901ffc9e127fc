namespace Starling.Transport.Sctp;

/// <summary>A DATA chunk that has a TSN and is not yet cumulatively acknowledged.</summary>
internal sealed class OutstandingChunk
{
    public OutstandingChunk(uint tsn, OutgoingMessage message, int offset, int length, byte flags)
    {
        Tsn = tsn;
        Message = message;
        Offset = offset;
        Length = length;
        Flags = flags;
    }

    public uint Tsn { get; }

    public OutgoingMessage Message { get; }

    public int Offset { get; }

    public int Length { get; }

    public byte Flags { get; }

    public OutstandingChunkState State { get; set; }

    public int Transmissions { get; set; }

    public TimeSpan SentAt { get; set; }

    public int MissIndications { get; set; }

    public bool FastRetransmitted { get; set; }

    public bool AckedInThisSack { get; set; }

    public ReadOnlySpan<byte> Payload => Message.Payload.AsSpan(Offset, Length);
}
