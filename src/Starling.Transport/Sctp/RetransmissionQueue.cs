namespace Starling.Transport.Sctp;

/// <summary>
/// The data sender's outstanding chunks in TSN order with congestion control and flow control:
/// SACK processing (RFC 9260 §6.2.1), cwnd/ssthresh/partial_bytes_acked with slow start and congestion avoidance
/// (§7.2.1, §7.2.2), T3-rtx expiry (§6.3.3, §7.2.3), fast retransmit on three miss indications following the
/// HTNA rule with Fast Recovery (§7.2.4), the peer's rwnd (§6.2.1), and partial reliability: abandoning chunks
/// and the Advanced.Peer.Ack.Point for FORWARD TSN (RFC 3758 §3.5).
/// </summary>
internal sealed class RetransmissionQueue
{
    public const int FastRetransmitThreshold = 3;
    private readonly RingBuffer<OutstandingChunk> _chunks = new();
    private readonly int _mtu;
    private int _lostCount;
    private uint _fastRecoveryExit;

    public RetransmissionQueue(uint initialTsn, uint peerReceiverWindow, int mtu)
    {
        _mtu = mtu;
        NextTsn = initialTsn;
        CumulativeTsnAck = initialTsn - 1;
        AdvancedPeerAckPoint = CumulativeTsnAck;
        Cwnd = Math.Min(4 * mtu, Math.Max(2 * mtu, 4380));
        Ssthresh = peerReceiverWindow;
        PeerReceiverWindow = peerReceiverWindow;
    }

    public uint NextTsn { get; private set; }

    public uint CumulativeTsnAck { get; private set; }

    public uint AdvancedPeerAckPoint { get; private set; }

    /// <summary>Bytes of user data in flight (sent, not acked, not marked lost or abandoned).</summary>
    public long FlightSize { get; private set; }

    /// <summary>Bytes of every chunk not yet cumulatively acknowledged.</summary>
    public long OutstandingBytes { get; private set; }

    public long Cwnd { get; private set; }

    public long Ssthresh { get; private set; }

    public long PartialBytesAcked { get; private set; }

    public long PeerReceiverWindow { get; private set; }

    public bool InFastRecovery { get; private set; }

    /// <summary>Whether the peer supports FORWARD TSN; without it nothing is ever abandoned once sent.</summary>
    public bool PartialReliability { get; set; }

    public int Count => _chunks.Count;

    public bool HasOutstanding => _chunks.Count > 0;

    public bool HasLost => _lostCount > 0;

    public bool IsForwardTsnNeeded => PartialReliability && SerialNumber.Gt(AdvancedPeerAckPoint, CumulativeTsnAck);

    /// <summary>Set when the Advanced.Peer.Ack.Point moved since the last FORWARD TSN was written.</summary>
    public bool AbandonedSinceLastForwardTsn { get; set; }

    /// <summary>RFC 9260 §6.1 A/B: new data needs cwnd room, and rwnd room unless nothing is in flight (a probe).</summary>
    public bool CanSendNew(int size) => FlightSize < Cwnd && (PeerReceiverWindow >= size || FlightSize == 0);

    public bool CanRetransmit() => FlightSize < Cwnd;

    public OutstandingChunk AddSent(OutgoingMessage message, int offset, int length, byte flags, TimeSpan now)
    {
        var chunk = new OutstandingChunk(NextTsn++, message, offset, length, flags)
        {
            State = OutstandingChunkState.InFlight,
            Transmissions = 1,
            SentAt = now,
        };
        _chunks.AddLast(chunk);
        FlightSize += length;
        OutstandingBytes += length;
        PeerReceiverWindow = Math.Max(0, PeerReceiverWindow - length);
        return chunk;
    }

    /// <summary>The lowest-TSN chunk marked for retransmission, if any.</summary>
    public OutstandingChunk? FirstLost()
    {
        if (_lostCount == 0)
        {
            return null;
        }

        for (var i = 0; i < _chunks.Count; i++)
        {
            if (_chunks[i].State == OutstandingChunkState.Lost)
            {
                return _chunks[i];
            }
        }

        return null;
    }

    public void MarkRetransmitted(OutstandingChunk chunk, TimeSpan now)
    {
        chunk.State = OutstandingChunkState.InFlight;
        chunk.Transmissions++;
        chunk.SentAt = now;
        chunk.MissIndications = 0;
        _lostCount--;
        FlightSize += chunk.Length;
        PeerReceiverWindow = Math.Max(0, PeerReceiverWindow - chunk.Length);
    }

    public SackOutcome HandleSack(in SackChunk sack, TimeSpan now)
    {
        var cum = sack.CumulativeTsnAck;
        if (SerialNumber.Lt(cum, CumulativeTsnAck) || SerialNumber.Ge(cum, NextTsn))
        {
            return default;
        }

        var flightBefore = FlightSize;
        var cwndBefore = Cwnd;
        var cumAdvanced = SerialNumber.Gt(cum, CumulativeTsnAck);
        long bytesAcked = 0;
        TimeSpan? rtt = null;
        var htna = CumulativeTsnAck;
        var htnaSet = false;

        while (_chunks.Count > 0 && SerialNumber.Le(_chunks[0].Tsn, cum))
        {
            var c = _chunks.RemoveFirst();
            if (NewlyAcked(c, now, ref bytesAcked, ref rtt))
            {
                htna = c.Tsn;
                htnaSet = true;
            }

            OutstandingBytes -= c.Length;
        }

        CumulativeTsnAck = cum;
        if (SerialNumber.Lt(AdvancedPeerAckPoint, cum))
        {
            AdvancedPeerAckPoint = cum;
        }

        // Gap ack blocks (offsets from the cumulative TSN ack).
        var highestReported = cum;
        for (var b = 0; b < sack.GapAckBlockCount; b++)
        {
            var block = sack.GetGapAckBlock(b);
            if (block.Start == 0 || block.Start > block.End)
            {
                continue;
            }

            var end = cum + block.End;
            highestReported = SerialNumber.Max(highestReported, end);
            for (var offset = (int)block.Start - 1; offset < block.End && offset < _chunks.Count; offset++)
            {
                var c = _chunks[offset];
                c.AckedInThisSack = true;
                if (NewlyAcked(c, now, ref bytesAcked, ref rtt))
                {
                    c.State = OutstandingChunkState.Acked;
                    if (!htnaSet || SerialNumber.Gt(c.Tsn, htna))
                    {
                        htna = c.Tsn;
                        htnaSet = true;
                    }
                }
            }
        }

        // Reneged chunks (RFC 9260 §6.2.1 D iv): gap-acked before, not now. Retransmit them.
        var fastRetransmit = false;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var c = _chunks[i];
            if (c.State == OutstandingChunkState.Acked && !c.AckedInThisSack)
            {
                c.State = OutstandingChunkState.Lost;
                _lostCount++;
            }

            c.AckedInThisSack = false;
        }

        // Miss indications (RFC 9260 §7.2.4, HTNA): chunks below the highest newly acked TSN that are still missing.
        if (SerialNumber.Gt(highestReported, cum))
        {
            for (var i = 0; i < _chunks.Count; i++)
            {
                var c = _chunks[i];
                if (SerialNumber.Ge(c.Tsn, highestReported))
                {
                    break;
                }

                if (c.State != OutstandingChunkState.InFlight || c.FastRetransmitted)
                {
                    continue;
                }

                if ((htnaSet && SerialNumber.Lt(c.Tsn, htna)) || (InFastRecovery && cumAdvanced))
                {
                    if (++c.MissIndications >= FastRetransmitThreshold)
                    {
                        c.State = OutstandingChunkState.Lost;
                        c.FastRetransmitted = true;
                        FlightSize -= c.Length;
                        _lostCount++;
                        fastRetransmit = true;
                    }
                }
            }
        }

        // Congestion window (RFC 9260 §7.2.1, §7.2.2): only when the cumulative ack advances, not in Fast Recovery.
        if (cumAdvanced && !InFastRecovery)
        {
            if (Cwnd <= Ssthresh)
            {
                if (flightBefore + _mtu >= cwndBefore)
                {
                    Cwnd += Math.Min(bytesAcked, _mtu);
                }
            }
            else
            {
                PartialBytesAcked += bytesAcked;
                if (PartialBytesAcked >= Cwnd && flightBefore >= cwndBefore)
                {
                    PartialBytesAcked -= Cwnd;
                    Cwnd += _mtu;
                }
            }
        }

        if (FlightSize == 0)
        {
            PartialBytesAcked = 0;
        }

        if (InFastRecovery && SerialNumber.Ge(cum, _fastRecoveryExit))
        {
            InFastRecovery = false;
        }

        if (fastRetransmit && !InFastRecovery)
        {
            Ssthresh = Math.Max(Cwnd / 2, 4L * _mtu);
            Cwnd = Ssthresh;
            PartialBytesAcked = 0;
            InFastRecovery = true;
            _fastRecoveryExit = NextTsn - 1;
        }

        PeerReceiverWindow = Math.Max(0, sack.AdvertisedReceiverWindowCredit - FlightSize);
        return new SackOutcome(true, cumAdvanced, bytesAcked, rtt, fastRetransmit);
    }

    /// <summary>
    /// SHUTDOWN's Cumulative TSN Ack (RFC 9260 §9.2) acknowledges like a SACK without gap blocks, keeping the
    /// last known receiver window.
    /// </summary>
    public SackOutcome HandleCumulativeAck(uint cumulativeTsnAck, TimeSpan now)
    {
        var window = (uint)Math.Min(uint.MaxValue, PeerReceiverWindow + FlightSize);
        return HandleSack(new SackChunk(cumulativeTsnAck, window, [], []), now);
    }

    /// <summary>T3-rtx expiry (RFC 9260 §6.3.3 E1, §7.2.3): collapse cwnd and mark everything in flight for retransmission.</summary>
    public void HandleRetransmissionTimeout()
    {
        Ssthresh = Math.Max(Cwnd / 2, 4L * _mtu);
        Cwnd = _mtu;
        PartialBytesAcked = 0;
        InFastRecovery = false;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var c = _chunks[i];
            if (c.State == OutstandingChunkState.InFlight)
            {
                c.State = OutstandingChunkState.Lost;
                FlightSize -= c.Length;
                _lostCount++;
            }
        }
    }

    /// <summary>
    /// RFC 3758 §3.5 A1–A3: abandons every message with a chunk marked for retransmission whose retransmission
    /// budget or lifetime is used up. Returns the number of messages abandoned.
    /// </summary>
    public int AbandonExhausted(TimeSpan now)
    {
        if (!PartialReliability || _lostCount == 0)
        {
            return 0;
        }

        var abandoned = 0;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var c = _chunks[i];
            if (c.State == OutstandingChunkState.Lost && !c.Message.Abandoned && ShouldAbandon(c, now))
            {
                Abandon(c.Message);
                abandoned++;
            }
        }

        return abandoned;
    }

    /// <summary>Marks all of a message's unacknowledged chunks abandoned (all fragments go together, RFC 3758 A3).</summary>
    public void Abandon(OutgoingMessage message)
    {
        message.Abandoned = true;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var c = _chunks[i];
            if (c.Message != message)
            {
                continue;
            }

            switch (c.State)
            {
                case OutstandingChunkState.InFlight:
                    FlightSize -= c.Length;
                    c.State = OutstandingChunkState.Abandoned;
                    break;
                case OutstandingChunkState.Lost:
                    _lostCount--;
                    c.State = OutstandingChunkState.Abandoned;
                    break;
            }
        }
    }

    /// <summary>RFC 3758 C1/C2: moves the Advanced.Peer.Ack.Point over consecutive abandoned chunks.</summary>
    public void UpdateAdvancedPeerAckPoint()
    {
        if (!PartialReliability)
        {
            return;
        }

        if (SerialNumber.Lt(AdvancedPeerAckPoint, CumulativeTsnAck))
        {
            AdvancedPeerAckPoint = CumulativeTsnAck;
        }

        for (var i = (int)(AdvancedPeerAckPoint - CumulativeTsnAck); i < _chunks.Count; i++)
        {
            if (_chunks[i].State != OutstandingChunkState.Abandoned)
            {
                break;
            }

            AdvancedPeerAckPoint = _chunks[i].Tsn;
            AbandonedSinceLastForwardTsn = true;
        }
    }

    /// <summary>
    /// The stream entries of a FORWARD TSN up to the Advanced.Peer.Ack.Point: for each ordered stream with an
    /// abandoned message, the largest skipped SSN (RFC 3758 §3.2). Returns how many were written.
    /// </summary>
    public int FillForwardTsnStreams(Span<ForwardTsnStream> destination)
    {
        var count = 0;
        var end = (int)(AdvancedPeerAckPoint - CumulativeTsnAck);
        for (var i = 0; i < end && i < _chunks.Count; i++)
        {
            var c = _chunks[i];
            if (c.State != OutstandingChunkState.Abandoned || c.Message.Unordered)
            {
                continue;
            }

            var found = false;
            for (var k = 0; k < count; k++)
            {
                if (destination[k].StreamId == c.Message.StreamId)
                {
                    if (SerialNumber.Gt(c.Message.Ssn, destination[k].StreamSequenceNumber))
                    {
                        destination[k] = new ForwardTsnStream(c.Message.StreamId, c.Message.Ssn);
                    }

                    found = true;
                    break;
                }
            }

            if (!found && count < destination.Length)
            {
                destination[count++] = new ForwardTsnStream(c.Message.StreamId, c.Message.Ssn);
            }
        }

        return count;
    }

    public void Clear()
    {
        _chunks.Clear();
        FlightSize = 0;
        OutstandingBytes = 0;
        _lostCount = 0;
    }

    private static bool ShouldAbandon(OutstandingChunk c, TimeSpan now) =>
        (c.Message.MaxRetransmits >= 0 && c.Transmissions > c.Message.MaxRetransmits) || c.Message.IsExpired(now);

    private bool NewlyAcked(OutstandingChunk c, TimeSpan now, ref long bytesAcked, ref TimeSpan? rtt)
    {
        switch (c.State)
        {
            case OutstandingChunkState.InFlight:
                FlightSize -= c.Length;
                bytesAcked += c.Length;
                if (c.Transmissions == 1)
                {
                    rtt = now - c.SentAt;
                }

                return true;
            case OutstandingChunkState.Lost:
                _lostCount--;
                bytesAcked += c.Length;
                return true;
            default:
                return false;
        }
    }
}
