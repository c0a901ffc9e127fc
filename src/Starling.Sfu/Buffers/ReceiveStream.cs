using Starling.Sfu.Sequencing;
using Starling.Wire.Rtcp;

namespace Starling.Sfu.Buffers;

/// <summary>
/// Receive state of one published RTP stream (one SSRC, one simulcast layer): sequence and timestamp unwrapping,
/// the retransmission history (<see cref="PacketBuffer"/>), hole tracking for NACKs toward the publisher
/// (<see cref="NackTracker"/>) and RFC 3550 statistics (<see cref="RtpReceiveStats"/>).
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="Receive"/> runs on the publisher's receive loop; <see cref="TryCopyPacket"/> runs on
/// subscribers' RTCP paths (answering their NACKs) and <see cref="GetNacks"/>/<see cref="Stats"/> on timers. One
/// short lock guards everything; nothing under it allocates or does I/O. Owns its <see cref="PacketBuffer"/>'s slab
/// until <see cref="Dispose"/>; afterwards <see cref="Receive"/> returns <see cref="ReceiveResult.Closed"/> and
/// <see cref="TryCopyPacket"/> false, so a NACK racing an unpublish is harmless.
/// </remarks>
internal sealed class ReceiveStream : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PacketBuffer _buffer;
    private readonly NackTracker? _nacks;
    private readonly long _frequency;
    private SequenceUnwrapper _sequence;
    private TimestampUnwrapper _timestamp;
    private RtpReceiveStats _stats;
    private long _firstArrival;
    private uint _lastSenderReport;
    private long _lastSenderReportAt;
    private bool _disposed;

    private long _lastPacketAt;

    public ReceiveStream(uint ssrc, int layer, ReceiveStreamOptions options, long timestampFrequency)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClockRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        Ssrc = ssrc;
        Layer = layer;
        ClockRate = options.ClockRate;
        _frequency = timestampFrequency;
        _buffer = new PacketBuffer(options.PacketBuffer);
        _nacks = options.Nack is null ? null : new NackTracker(options.Nack, timestampFrequency);
    }

    /// <summary>The publisher's SSRC (changes on <see cref="Restart"/>).</summary>
    public uint Ssrc { get; private set; }

    /// <summary>Simulcast layer (spatial index, 0 = lowest) this stream carries.</summary>
    public int Layer { get; }

    /// <summary>RTP clock rate.</summary>
    public int ClockRate { get; }

    /// <summary>When the newest media packet arrived (a <see cref="TimeProvider"/> timestamp; 0 before the first).</summary>
    public long LastPacketAt => Volatile.Read(ref _lastPacketAt);

    /// <summary>A copy of the statistics.</summary>
    public RtpReceiveStats Stats
    {
        get
        {
            lock (_gate)
            {
                return _stats;
            }
        }
    }

    /// <summary>
    /// Records a received (decrypted) RTP packet: unwraps its sequence number and timestamp, stores a copy for
    /// retransmission, updates holes and statistics.
    /// </summary>
    public ReceiveResult Receive(ReadOnlySpan<byte> packet, ushort sequence, uint timestamp, int payloadLength, long now, out long extendedSequence, out long extendedTimestamp)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                extendedSequence = 0;
                extendedTimestamp = 0;
                return ReceiveResult.Closed;
            }

            var first = !_sequence.Started;
            extendedSequence = _sequence.Unwrap(sequence);
            extendedTimestamp = _timestamp.Unwrap(timestamp);
            if (first)
            {
                _firstArrival = now;
            }

            var stored = _buffer.Add(packet, extendedSequence);
            if (stored == PacketBufferResult.TooOld)
            {
                return ReceiveResult.TooOld;
            }

            var duplicate = stored == PacketBufferResult.Duplicate;
            var arrival = MediaTime.ToRtpUnits(now - _firstArrival, ClockRate, _frequency);
            _stats.OnPacket(extendedSequence, extendedTimestamp, arrival, packet.Length, payloadLength == 0, duplicate);
            if (duplicate)
            {
                return ReceiveResult.Duplicate;
            }

            _nacks?.OnPacket(extendedSequence, now);
            Volatile.Write(ref _lastPacketAt, now);
            return ReceiveResult.New;
        }
    }

    /// <summary>Copies a held packet out for retransmission. False when it is gone or never arrived.</summary>
    public bool TryCopyPacket(long extendedSequence, Span<byte> destination, out int length)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                length = 0;
                return false;
            }

            return _buffer.TryCopy(extendedSequence, destination, out length);
        }
    }

    /// <summary>Extended sequence numbers to NACK now (see <see cref="NackTracker.GetNacks"/>); 0 when NACK is off.</summary>
    public int GetNacks(long now, Span<long> destination)
    {
        lock (_gate)
        {
            return _nacks?.GetNacks(now, destination) ?? 0;
        }
    }

    /// <summary>True (once) when a hole was too large for NACKs and the publisher should be asked for a keyframe.</summary>
    public bool TakeKeyframeNeeded()
    {
        lock (_gate)
        {
            return _nacks?.TakeKeyframeNeeded() ?? false;
        }
    }

    /// <summary>The RTT pacing repeated NACKs (the default until <see cref="SetRtt"/>); null when NACK is off.</summary>
    public TimeSpan? Rtt
    {
        get
        {
            lock (_gate)
            {
                return _nacks?.Rtt;
            }
        }
    }

    /// <summary>Sets the RTT toward the publisher (from RTCP), which paces repeated NACKs.</summary>
    public void SetRtt(TimeSpan rtt)
    {
        lock (_gate)
        {
            if (_nacks is not null)
            {
                _nacks.Rtt = rtt;
            }
        }
    }

    /// <summary>The fraction lost since the previous call, for a receiver report block (RFC 3550 A.3).</summary>
    public byte TakeFractionLost()
    {
        lock (_gate)
        {
            return _stats.TakeFractionLost();
        }
    }

    /// <summary>
    /// Notes a sender report of this stream (RFC 3550 §6.4.1) that arrived at <paramref name="now"/>: the next report
    /// blocks carry its compact NTP time as LSR and the time since as DLSR, from which the publisher computes the RTT.
    /// </summary>
    public void OnSenderReport(ulong ntpTimestamp, long now)
    {
        lock (_gate)
        {
            _lastSenderReport = RtcpReportBlock.ToCompactNtp(ntpTimestamp);
            _lastSenderReportAt = now;
        }
    }

    /// <summary>
    /// The reception report block for this stream at <paramref name="now"/> (RFC 3550 §6.4.1/A.3): fraction lost since
    /// the previous block, cumulative lost, extended highest sequence number, jitter, LSR and DLSR. False before the
    /// first packet and after <see cref="Dispose"/>. Starts a new fraction-lost interval.
    /// </summary>
    public bool TryGetReportBlock(long now, out RtcpReportBlock block)
    {
        lock (_gate)
        {
            if (_disposed || _stats.Packets == 0)
            {
                block = default;
                return false;
            }

            var delay = _lastSenderReport == 0 ? 0 : RtcpReportBlock.ToDelaySinceLastSenderReport(
                (long)((Int128)(now - _lastSenderReportAt) * 1_000_000 / _frequency));
            block = new RtcpReportBlock(
                Ssrc,
                _stats.TakeFractionLost(),
                RtcpReportBlock.ClampCumulativeLost(_stats.Lost),
                (uint)_stats.HighestSequence,
                (uint)Math.Min(uint.MaxValue, Math.Round(_stats.Jitter)),
                _lastSenderReport,
                delay);
            return true;
        }
    }

    /// <summary>The publisher restarted this layer under a new SSRC: forget history, holes and statistics.</summary>
    public void Restart(uint ssrc)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Ssrc = ssrc;
            _sequence.Reset();
            _timestamp.Reset();
            _stats = default;
            _lastSenderReport = 0;
            _lastSenderReportAt = 0;
            _buffer.Clear();
            _nacks?.Reset();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _buffer.Dispose();
        }
    }
}
