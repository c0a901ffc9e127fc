using System.Numerics;
using Starling.Sfu.Sequencing;
using Starling.Wire.Rtcp;

namespace Starling.Sfu.Feedback;

/// <summary>
/// The receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01) for one
/// transport: records the transport-wide sequence number and arrival time of every RTP packet the publisher sends
/// (media, RTX, padding probes alike) and turns them into transport-cc feedback, which the publisher's send-side
/// bandwidth estimator (goog-cc in libwebrtc) needs to ramp its bitrate up.
/// </summary>
/// <remarks>
/// <para>
/// Sequence numbers are unwrapped to 64 bits and kept in a preallocated ring of arrival times
/// (<see cref="TransportCcRecorderOptions.Capacity"/>). Feedback covers the range from the end of the previous
/// feedback (the <em>window start</em>) to the highest number received; numbers in between that did not arrive are
/// reported as not received, including those at the start of the range. A packet that arrives after its number was
/// reported lost moves the window start back to it, so the next feedback reports it received (and repeats the ones
/// after it), as libwebrtc's receiver does. Duplicates and packets older than the ring are ignored.
/// </para>
/// <para>
/// The media source SSRC of the feedback is the SSRC of the latest packet with a non-zero SSRC: libwebrtc hands
/// transport feedback to its estimator only when that SSRC is one the sender uses (probes before media use SSRC 0).
/// </para>
/// <para>
/// Threads: <see cref="Record"/> runs on the transport's receive path, <see cref="TryWriteFeedback"/> on a timer (or
/// right after a <see cref="Record"/> that returned true); one short lock guards the state. Neither allocates.
/// Times are <see cref="TimeProvider.GetTimestamp"/> values of a provider with the frequency given to the constructor.
/// </para>
/// </remarks>
internal sealed class TransportCcRecorder
{
    private const long NotReceived = long.MinValue;

    private readonly Lock _gate = new();
    private readonly long[] _arrivals;
    private readonly TransportCcArrival[] _scratch;
    private readonly long _mask;
    private readonly long _frequency;
    private readonly int _maxPending;
    private readonly int _maxPacketSize;
    private SequenceUnwrapper _unwrapper;
    private bool _started;
    private long _begin;
    private long _end;
    private long _windowStart;
    private uint _mediaSsrc;
    private byte _feedbackCount;

    public TransportCcRecorder(TransportCcRecorderOptions? options, long timestampFrequency)
    {
        options ??= TransportCcRecorderOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Capacity, 1 << 15);
        if (!BitOperations.IsPow2(options.Capacity))
        {
            throw new ArgumentException("the capacity must be a power of two", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPendingPackets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPacketSize, RtcpTransportCc.HeaderSize + 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        _arrivals = new long[options.Capacity];
        Array.Fill(_arrivals, NotReceived);
        _scratch = new TransportCcArrival[options.Capacity];
        _mask = options.Capacity - 1;
        _frequency = timestampFrequency;
        _maxPending = options.MaxPendingPackets;
        _maxPacketSize = options.MaxPacketSize;
    }

    /// <summary>Distinct packets recorded.</summary>
    public long Packets { get; private set; }

    /// <summary>Packets recorded twice (ignored).</summary>
    public long Duplicates { get; private set; }

    /// <summary>Packets older than the ring (ignored).</summary>
    public long TooOld { get; private set; }

    /// <summary>Packets that arrived after their sequence number was reported as not received.</summary>
    public long LateReported { get; private set; }

    /// <summary>Sequence numbers pushed out of the ring before any feedback reported them.</summary>
    public long Unreported { get; private set; }

    /// <summary>Feedback packets written.</summary>
    public long FeedbackPackets { get; private set; }

    /// <summary>Sequence numbers (received or not) waiting for feedback.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return (int)(_end - _windowStart);
            }
        }
    }

    /// <summary>
    /// Records one RTP packet's transport-wide <paramref name="sequenceNumber"/>, its <paramref name="ssrc"/> and its
    /// arrival time <paramref name="now"/>. Returns true when so many sequence numbers wait that the owner should
    /// write feedback now rather than at the next interval.
    /// </summary>
    public bool Record(ushort sequenceNumber, uint ssrc, long now)
    {
        lock (_gate)
        {
            if (ssrc != 0)
            {
                _mediaSsrc = ssrc;
            }

            var sequence = _unwrapper.Unwrap(sequenceNumber);
            if (!_started)
            {
                _started = true;
                _begin = sequence;
                _end = sequence;
                _windowStart = sequence;
            }

            if (sequence >= _end)
            {
                // Newer than anything held: forget the slots it skips over (they hold numbers one ring earlier).
                for (var s = Math.Max(_end, sequence - _arrivals.Length + 1); s <= sequence; s++)
                {
                    _arrivals[s & _mask] = NotReceived;
                }

                _end = sequence + 1;
                _begin = Math.Max(_begin, _end - _arrivals.Length);
                if (_windowStart < _begin)
                {
                    Unreported += _begin - _windowStart;
                    _windowStart = _begin;
                }
            }
            else if (sequence < _begin)
            {
                TooOld++;
                return false;
            }
            else if (_arrivals[sequence & _mask] != NotReceived)
            {
                Duplicates++;
                return false;
            }

            if (sequence < _windowStart)
            {
                LateReported++;
                _windowStart = sequence;
            }

            _arrivals[sequence & _mask] = now;
            Packets++;
            return _end - _windowStart >= _maxPending;
        }
    }

    /// <summary>
    /// Writes the next transport-cc feedback (at most <see cref="TransportCcRecorderOptions.MaxPacketSize"/> bytes)
    /// for the packets not yet reported, from <paramref name="senderSsrc"/> (the server's SSRC on this transport),
    /// and marks them reported. Call again while it returns true: a range that does not fit one packet continues in
    /// the next. False when nothing is pending or <paramref name="destination"/> cannot hold a feedback.
    /// </summary>
    public bool TryWriteFeedback(uint senderSsrc, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length > _maxPacketSize)
        {
            destination = destination[.._maxPacketSize];
        }

        lock (_gate)
        {
            if (!_started || _windowStart >= _end)
            {
                return false;
            }

            // The newest number held was received, so the range has at least one arrival.
            var count = 0;
            long first = -1;
            for (var s = _windowStart; s < _end; s++)
            {
                var arrival = _arrivals[s & _mask];
                if (arrival == NotReceived)
                {
                    continue;
                }

                if (count == 0)
                {
                    first = s;
                }

                _scratch[count++] = new TransportCcArrival((ushort)s, ToMicroseconds(arrival));
            }

            var baseSequence = Math.Max(_windowStart, first - RtcpTransportCc.MaxLeadingLosses);
            if (count == 0 || !RtcpTransportCc.TryWrite(
                destination, senderSsrc, _mediaSsrc, _feedbackCount, (ushort)baseSequence, _scratch.AsSpan(0, count), out bytesWritten, out var written))
            {
                return false;
            }

            _feedbackCount++;
            FeedbackPackets++;
            _windowStart = first + (ushort)(_scratch[written - 1].SequenceNumber - (ushort)first) + 1;
            return true;
        }
    }

    private long ToMicroseconds(long timestamp) => (long)((Int128)timestamp * 1_000_000 / _frequency);
}
