using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Starling.Sfu.Feedback;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtcp;
using Starling.Wire.Rtp;

namespace Starling.Rooms.Media;

/// <summary>
/// The RTCP the server sends one participant about the media it publishes on one transport: transport-cc feedback
/// (every <see cref="TransportCcRecorderOptions.Interval"/>, and at once when many packets wait), NACKs for holes the
/// tracks' receive streams want repaired, and receiver reports (RFC 3550 §6.4.2, with SDES CNAME) for every stream
/// received. Without transport-cc feedback a browser's send-side bandwidth estimate decays toward its floor and
/// simulcast's upper layers are never sent.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OnRtp"/> runs on the transport's receive path for every decrypted RTP packet, routed or not (RTX,
/// padding probes and SSRC 0 probes count for transport-cc too). One <see cref="ITimer"/>, started by the first packet,
/// drives the rest; a tick that finds the previous one still running is skipped. Nothing allocates per packet or
/// per tick: RTCP is written into stack buffers and the track list is an immutable array replaced on change.
/// </para>
/// <para>
/// The packet sender SSRC is a random SSRC of the server on this transport (<see cref="Ssrc"/>); the media source
/// SSRC of transport-cc feedback is a publisher SSRC (see <see cref="TransportCcRecorder"/>).
/// </para>
/// </remarks>
internal sealed class PublisherRtcp : IDisposable
{
    private const int MaxRtcpSize = 1200;

    private readonly Lock _gate = new();
    private readonly IRtcTransport _transport;
    private readonly TimeProvider _time;
    private readonly PublisherRtcpOptions _options;
    private readonly TransportCcRecorder _transportCc;
    private readonly byte[] _cname;
    private readonly long _transportCcInterval;
    private readonly long _receiverReportInterval;
    private PublishedTrack[] _tracks = [];
    private ITimer? _timer;
    private int _ticking;
    private long _nextTransportCcAt;
    private long _nextReceiverReportAt;
    private long _sentTransportCc;
    private long _sentNacks;
    private long _sentReports;
    private bool _disposed;

    public PublisherRtcp(IRtcTransport transport, TimeProvider time, PublisherRtcpOptions? options = null, uint? ssrc = null)
    {
        _transport = transport;
        _time = time;
        _options = options ?? PublisherRtcpOptions.Default;
        Ssrc = ssrc ?? (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        _transportCc = new TransportCcRecorder(_options.TransportCc, time.TimestampFrequency);
        _cname = Encoding.ASCII.GetBytes("starling-" + Ssrc.ToString("x8", CultureInfo.InvariantCulture));
        _transportCcInterval = ToTicks(_options.TransportCc.Interval);
        _receiverReportInterval = ToTicks(_options.ReceiverReportInterval);
    }

    /// <summary>The server's SSRC on this transport: the packet sender of every RTCP packet sent here.</summary>
    public uint Ssrc { get; }

    /// <summary>The publisher's header extension id for the transport-wide sequence number (0 = not negotiated).</summary>
    public byte TransportCcExtensionId { get; set; }

    /// <summary>The transport-cc state (counters for tests and diagnostics).</summary>
    public TransportCcRecorder TransportCc => _transportCc;

    /// <summary>Transport-cc feedback packets sent.</summary>
    public long TransportCcSent => Interlocked.Read(ref _sentTransportCc);

    /// <summary>NACK packets sent.</summary>
    public long NacksSent => Interlocked.Read(ref _sentNacks);

    /// <summary>Receiver report packets (compound RR + SDES) sent.</summary>
    public long ReceiverReportsSent => Interlocked.Read(ref _sentReports);

    /// <summary>Adds a published track whose streams get NACKs and receiver reports.</summary>
    public void AddTrack(PublishedTrack track)
    {
        lock (_gate)
        {
            _tracks = [.. _tracks, track];
        }
    }

    /// <summary>The receive path: every decrypted RTP packet of the publisher, with its arrival time.</summary>
    public void OnRtp(in RtpPacket packet, long now)
    {
        if (Volatile.Read(ref _timer) is null)
        {
            StartTimer();
        }

        if (TransportCcExtensionId != 0 && packet.TryGetExtension(TransportCcExtensionId, out var value)
            && TransportSequenceNumberExtension.TryRead(value, out var sequence, out _)
            && _transportCc.Record(sequence.SequenceNumber, packet.Ssrc, now))
        {
            SendTransportCc();
        }
    }

    /// <summary>One timer tick: NACKs due now, and transport-cc feedback and receiver reports when their interval is up.</summary>
    public void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _time.GetTimestamp();
            var tracks = Volatile.Read(ref _tracks);
            SendNacks(tracks, now);
            if (now >= _nextTransportCcAt)
            {
                _nextTransportCcAt = now + _transportCcInterval;
                SendTransportCc();
            }

            if (now >= _nextReceiverReportAt)
            {
                _nextReceiverReportAt = now + _receiverReportInterval;
                SendReceiverReports(tracks, now);
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _tracks = [];
        }
    }

    private void StartTimer()
    {
        lock (_gate)
        {
            if (_disposed || _timer is not null)
            {
                return;
            }

            var now = _time.GetTimestamp();
            _nextTransportCcAt = now + _transportCcInterval;
            _nextReceiverReportAt = now + _receiverReportInterval;
            Volatile.Write(ref _timer, _time.CreateTimer(static state => ((PublisherRtcp)state!).Tick(), this, _options.TickInterval, _options.TickInterval));
        }
    }

    private void SendTransportCc()
    {
        Span<byte> buffer = stackalloc byte[MaxRtcpSize];
        while (_transportCc.TryWriteFeedback(Ssrc, buffer, out var written))
        {
            _transport.SendRtcp(buffer[..written]);
            Interlocked.Increment(ref _sentTransportCc);
        }
    }

    private void SendNacks(PublishedTrack[] tracks, long now)
    {
        Span<byte> buffer = stackalloc byte[MaxRtcpSize];
        foreach (var track in tracks)
        {
            for (var layer = 0; layer < track.Router.LayerCount; layer++)
            {
                for (var i = 0; i < _options.MaxNacksPerLayer && track.Router.TryWriteNack(layer, now, Ssrc, buffer, out var written); i++)
                {
                    _transport.SendRtcp(buffer[..written]);
                    Interlocked.Increment(ref _sentNacks);
                }
            }
        }
    }

    private void SendReceiverReports(PublishedTrack[] tracks, long now)
    {
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[RtcpHeader.MaxCount];
        var count = 0;
        foreach (var track in tracks)
        {
            for (var layer = 0; layer < track.Router.LayerCount; layer++)
            {
                if (track.Router.GetStream(layer) is { } stream && stream.TryGetReportBlock(now, out var block))
                {
                    blocks[count++] = block;
                    if (count == blocks.Length)
                    {
                        SendReceiverReport(blocks[..count]);
                        count = 0;
                    }
                }
            }
        }

        if (count > 0)
        {
            SendReceiverReport(blocks[..count]);
        }
    }

    /// <summary>One compound packet: RR with up to 31 blocks, then SDES CNAME (RFC 3550 §6.1).</summary>
    private void SendReceiverReport(ReadOnlySpan<RtcpReportBlock> blocks)
    {
        Span<byte> buffer = stackalloc byte[MaxRtcpSize];
        if (RtcpReceiverReport.TryWrite(buffer, Ssrc, blocks, out var report)
            && RtcpSdes.TryWriteCname(buffer[report..], Ssrc, _cname, out var sdes))
        {
            _transport.SendRtcp(buffer[..(report + sdes)]);
            Interlocked.Increment(ref _sentReports);
        }
    }

    private long ToTicks(TimeSpan duration) => (long)((Int128)duration.Ticks * _time.TimestampFrequency / TimeSpan.TicksPerSecond);
}
