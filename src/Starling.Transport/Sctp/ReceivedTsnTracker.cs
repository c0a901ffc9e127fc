namespace Starling.Transport.Sctp;

/// <summary>
/// The data receiver's view of the TSN space (RFC 9260 §6.2, §6.7): the cumulative TSN and a bitmap of TSNs
/// received above it, from which SACK gap ack blocks are built. Fixed memory: TSNs more than
/// <see cref="Window"/> above the cumulative TSN are refused (the sender retransmits them later).
/// </summary>
internal sealed class ReceivedTsnTracker
{
    /// <summary>How far above the cumulative TSN a TSN may be. Gap block offsets are 16-bit, so at most 65535.</summary>
    public const int Window = 1 << 15;
    private const int Mask = Window - 1;
    private readonly ulong[] _bits = new ulong[Window / 64];

    public uint CumulativeTsn { get; private set; }

    public uint HighestReceived { get; private set; }

    public bool HasGaps => HighestReceived != CumulativeTsn;

    public void Reset(uint peerInitialTsn)
    {
        Array.Clear(_bits);
        CumulativeTsn = peerInitialTsn - 1;
        HighestReceived = CumulativeTsn;
    }

    public TsnStatus Classify(uint tsn)
    {
        if (SerialNumber.Le(tsn, CumulativeTsn))
        {
            return TsnStatus.Duplicate;
        }

        if (tsn - CumulativeTsn >= Window)
        {
            return TsnStatus.OutOfWindow;
        }

        return IsSet(tsn) ? TsnStatus.Duplicate : TsnStatus.New;
    }

    /// <summary>Records a TSN already classified as <see cref="TsnStatus.New"/>.</summary>
    public void Add(uint tsn)
    {
        Set(tsn);
        if (SerialNumber.Gt(tsn, HighestReceived))
        {
            HighestReceived = tsn;
        }

        Advance();
    }

    /// <summary>Moves the cumulative TSN to <paramref name="newCumulativeTsn"/> (FORWARD TSN, RFC 3758 §3.6).</summary>
    public void ForwardTo(uint newCumulativeTsn)
    {
        if (SerialNumber.Le(newCumulativeTsn, CumulativeTsn))
        {
            return;
        }

        if (newCumulativeTsn - CumulativeTsn >= Window)
        {
            Array.Clear(_bits);
        }
        else
        {
            for (var t = CumulativeTsn + 1; t != newCumulativeTsn + 1; t++)
            {
                Clear(t);
            }
        }

        CumulativeTsn = newCumulativeTsn;
        if (SerialNumber.Gt(CumulativeTsn, HighestReceived))
        {
            HighestReceived = CumulativeTsn;
        }

        Advance();
    }

    /// <summary>Writes up to <paramref name="destination"/>.Length gap ack blocks; returns how many.</summary>
    public int FillGapAckBlocks(Span<GapAckBlock> destination)
    {
        var count = 0;
        var end = HighestReceived - CumulativeTsn;
        uint offset = 1;
        while (offset <= end && count < destination.Length)
        {
            while (offset <= end && !IsSet(CumulativeTsn + offset))
            {
                offset++;
            }

            if (offset > end)
            {
                break;
            }

            var start = offset;
            while (offset <= end && IsSet(CumulativeTsn + offset))
            {
                offset++;
            }

            destination[count++] = new GapAckBlock((ushort)start, (ushort)(offset - 1));
        }

        return count;
    }

    private void Advance()
    {
        while (CumulativeTsn != HighestReceived && IsSet(CumulativeTsn + 1))
        {
            CumulativeTsn++;
            Clear(CumulativeTsn);
        }
    }

    private bool IsSet(uint tsn)
    {
        var i = (int)(tsn & Mask);
        return (_bits[i >> 6] & (1UL << (i & 63))) != 0;
    }

    private void Set(uint tsn)
    {
        var i = (int)(tsn & Mask);
        _bits[i >> 6] |= 1UL << (i & 63);
    }

    private void Clear(uint tsn)
    {
        var i = (int)(tsn & Mask);
        _bits[i >> 6] &= ~(1UL << (i & 63));
    }
}
