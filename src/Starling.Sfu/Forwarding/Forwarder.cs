using System.Numerics;
using Starling.Sfu.Sequencing;

namespace Starling.Sfu.Forwarding;

/// <summary>
/// The per-down-track forwarding decision (LiveKit's <c>Forwarder</c> + <c>RTPMunger</c>): maps each incoming packet
/// (source SSRC, layer, extended sequence and timestamp, keyframe, marker) to an outgoing sequence number and
/// timestamp, or drops it. Pure state machine: no I/O, no bytes, time passed in.
/// </summary>
/// <remarks>
/// <para>Guarantees on the outgoing stream (whose SSRC is the down-track's and never changes):</para>
/// <list type="bullet">
/// <item>Sequence numbers are contiguous: packets the forwarder drops (other layers, padding-only, while paused) take
/// no number, while holes from upstream loss stay holes (the subscriber NACKs them, and late or retransmitted copies
/// are placed into them).</item>
/// <item>Timestamps are continuous across source changes (simulcast layer switch, pause/resume, mute/unmute, a new
/// publisher SSRC): the first packet of the new source gets <c>last + 1</c> as sequence number and
/// <c>last timestamp + elapsed wall-clock time × clock rate</c> (at least +1) as timestamp; later packets of that
/// source keep their own spacing.</item>
/// <item>With <see cref="ForwarderOptions.RequireKeyframe"/>, a source is only (re)started at a keyframe of the target
/// layer; while the target differs from the current layer the current one keeps flowing and
/// <see cref="TranslationParams.RequestKeyframe"/> asks (throttled) for a keyframe of the target.</item>
/// <item>Late packets of the current source are mapped through the offsets in force when their neighbours were sent
/// (<see cref="SequenceOffsetMap"/>); duplicates, late copies of dropped packets and packets from before the switch
/// are dropped.</item>
/// </list>
/// <para>
/// Input contract: packets come from the receive streams of one track, one stream per layer, and only from a layer's
/// current SSRC (the router drops stragglers of a replaced SSRC). A new SSRC on the current layer therefore means the
/// publisher restarted that layer: forwarding resumes on its next keyframe.
/// </para>
/// <para>Not thread-safe: the owning down-track serializes packet and control calls under one short lock.</para>
/// </remarks>
internal sealed class Forwarder
{
    private const long NoRequest = long.MinValue;

    private readonly int _clockRate;
    private readonly bool _requireKeyframe;
    private readonly bool _dropPadding;
    private readonly long _keyframeInterval;
    private readonly long _frequency;
    private readonly SequenceOffsetMap _offsets;
    private readonly HistoryEntry[] _history;
    private readonly long _historyMask;

    private int _targetLayer;
    private int _currentLayer = -1;
    private uint _currentSsrc;
    private bool _paused;
    private bool _muted;

    private bool _started;
    private long _highestIn;
    private long _timestampOffset;
    private long _lastSequence;
    private long _lastTimestamp;
    private long _lastSentAt;
    private long _nextKeyframeRequestAt = NoRequest;

    public Forwarder(ForwarderOptions options, long timestampFrequency)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClockRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        if (options.HistorySize < 2 || !BitOperations.IsPow2(options.HistorySize))
        {
            throw new ArgumentException("HistorySize must be a power of two of at least 2.", nameof(options));
        }

        _clockRate = options.ClockRate;
        _requireKeyframe = options.RequireKeyframe;
        _dropPadding = options.DropPaddingOnly;
        _frequency = timestampFrequency;
        _keyframeInterval = MediaTime.ToTicks(options.KeyframeRequestInterval, timestampFrequency);
        _offsets = new SequenceOffsetMap(options.OffsetRanges);
        _history = new HistoryEntry[options.HistorySize];
        _historyMask = options.HistorySize - 1;
        Array.Fill(_history, new HistoryEntry { Sequence = long.MinValue });
        _targetLayer = options.InitialTargetLayer;
    }

    /// <summary>The layer the allocator (or the subscriber's settings) wants; -1 forwards nothing.</summary>
    public int TargetLayer
    {
        get => _targetLayer;
        set
        {
            if (value == _targetLayer)
            {
                return;
            }

            _targetLayer = value;
            _nextKeyframeRequestAt = NoRequest;
            if (value < 0)
            {
                _currentLayer = -1;
            }
        }
    }

    /// <summary>The layer being forwarded; -1 when none (not started, paused, or waiting for a keyframe).</summary>
    public int CurrentLayer => _currentLayer;

    /// <summary>The subscriber disabled the track (<c>UpdateTrackSettings.disabled</c>): drop everything; resuming re-syncs.</summary>
    public bool Paused
    {
        get => _paused;
        set => SetStopped(ref _paused, value);
    }

    /// <summary>The publisher muted the track: drop everything; unmuting re-syncs.</summary>
    public bool Muted
    {
        get => _muted;
        set => SetStopped(ref _muted, value);
    }

    /// <summary>Packets forwarded (including late ones).</summary>
    public long ForwardedPackets { get; private set; }

    /// <summary>Packets dropped, for any <see cref="DropReason"/>.</summary>
    public long DroppedPackets { get; private set; }

    /// <summary>Highest outgoing extended sequence number sent (undefined before the first packet).</summary>
    public long LastSequence => _lastSequence;

    /// <summary>Outgoing extended timestamp of the newest in-order packet sent.</summary>
    public long LastTimestamp => _lastTimestamp;

    /// <summary>
    /// Maps a publisher RTP timestamp of <paramref name="sourceSsrc"/> to this down-track's timeline (for the sender
    /// reports we forward); false unless that SSRC is the source being forwarded now.
    /// </summary>
    public bool TryTranslateTimestamp(uint sourceSsrc, uint sourceTimestamp, out uint timestamp)
    {
        timestamp = 0;
        if (!_started || _currentLayer < 0 || sourceSsrc != _currentSsrc || _paused || _muted)
        {
            return false;
        }

        timestamp = (uint)(sourceTimestamp - _timestampOffset);
        return true;
    }

    /// <summary>Decides what to do with one incoming packet at time <paramref name="now"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public TranslationParams GetTranslationParams(in IncomingPacketInfo packet, long now)
    {
        if (_paused || _muted || _targetLayer < 0)
        {
            return Dropped(DropReason.Paused, requestKeyframe: false);
        }

        var switched = false;
        if (_currentLayer < 0 || packet.Layer != _currentLayer || packet.Ssrc != _currentSsrc)
        {
            var sameLayerNewSsrc = _currentLayer >= 0 && packet.Layer == _currentLayer;
            var startable = (packet.Layer == _targetLayer || sameLayerNewSsrc)
                && (packet.IsKeyframe || !_requireKeyframe)
                && (packet.PayloadLength > 0 || !_dropPadding);
            if (!startable)
            {
                if (sameLayerNewSsrc)
                {
                    _currentLayer = -1;
                }

                return Dropped(packet.Layer == _targetLayer ? DropReason.WaitingForKeyframe : DropReason.LayerNotSelected, TakeKeyframeRequest(now));
            }

            StartSource(packet, now);
            switched = true;
        }

        var sequence = packet.ExtendedSequence;
        long outSequence;
        var inOrder = true;
        if (switched)
        {
            outSequence = sequence - _offsets.CurrentOffset;
        }
        else if (sequence > _highestIn)
        {
            _highestIn = sequence;
            if (_dropPadding && packet.PayloadLength == 0)
            {
                _offsets.Exclude(sequence);
                return Dropped(DropReason.PaddingOnly, TakeKeyframeRequest(now));
            }

            outSequence = sequence - _offsets.CurrentOffset;
        }
        else if (sequence == _highestIn)
        {
            return Dropped(DropReason.Duplicate, TakeKeyframeRequest(now));
        }
        else
        {
            inOrder = false;
            if (!_offsets.TryGetOffset(sequence, out var offset))
            {
                return Dropped(DropReason.OutOfWindow, TakeKeyframeRequest(now));
            }

            outSequence = sequence - offset;
            if (outSequence <= _lastSequence - _history.Length)
            {
                return Dropped(DropReason.OutOfWindow, TakeKeyframeRequest(now));
            }

            if (_history[outSequence & _historyMask].Sequence == outSequence)
            {
                return Dropped(DropReason.Duplicate, TakeKeyframeRequest(now));
            }

            if (_dropPadding && packet.PayloadLength == 0)
            {
                return Dropped(DropReason.PaddingOnly, TakeKeyframeRequest(now));
            }
        }

        var outTimestamp = packet.ExtendedTimestamp - _timestampOffset;

        // A late packet can still be the newest sent, when the packets after it were dropped (e.g. padding).
        if (inOrder || outSequence > _lastSequence)
        {
            _lastSequence = outSequence;
            _lastTimestamp = outTimestamp;
            _lastSentAt = now;
        }

        _history[outSequence & _historyMask] = new HistoryEntry
        {
            Sequence = outSequence,
            SourceSequence = sequence,
            Timestamp = (uint)outTimestamp,
            SourceSsrc = packet.Ssrc,
            Layer = packet.Layer,
        };
        ForwardedPackets++;
        var request = TakeKeyframeRequest(now);
        return new TranslationParams
        {
            ExtendedSequence = outSequence,
            Timestamp = (uint)outTimestamp,
            Marker = packet.Marker,
            SwitchedSource = switched,
            RequestKeyframe = request,
            KeyframeLayer = _targetLayer,
        };
    }

    /// <summary>
    /// A keyframe request due at <paramref name="now"/> (for a timer while no packets flow); same throttle as the
    /// packet path. False when none is needed or one was made within <see cref="ForwarderOptions.KeyframeRequestInterval"/>.
    /// </summary>
    public bool TryGetKeyframeRequest(long now, out int layer)
    {
        layer = _targetLayer;
        return TakeKeyframeRequest(now);
    }

    /// <summary>Translates a sequence number the subscriber NACKed back to the source packet, if it was sent recently.</summary>
    public bool TryGetForwarded(ushort sequence, out ForwardedPacket packet)
    {
        packet = default;
        if (!_started)
        {
            return false;
        }

        var extended = _lastSequence + SerialNumber.Difference(sequence, (ushort)_lastSequence);
        ref readonly var entry = ref _history[extended & _historyMask];
        if (entry.Sequence != extended)
        {
            return false;
        }

        packet = new ForwardedPacket(entry.Layer, entry.SourceSsrc, entry.SourceSequence, sequence, entry.Timestamp);
        return true;
    }

    private void StartSource(in IncomingPacketInfo packet, long now)
    {
        long nextSequence;
        long nextTimestamp;
        if (!_started)
        {
            // First packet ever: keep the publisher's numbers.
            _started = true;
            nextSequence = (ushort)packet.ExtendedSequence;
            nextTimestamp = (uint)packet.ExtendedTimestamp;
        }
        else
        {
            nextSequence = _lastSequence + 1;
            var elapsed = Math.Max(0, now - _lastSentAt);
            nextTimestamp = _lastTimestamp + Math.Max(1, MediaTime.ToRtpUnits(elapsed, _clockRate, _frequency));
        }

        _offsets.Reset(packet.ExtendedSequence, packet.ExtendedSequence - nextSequence);
        _timestampOffset = packet.ExtendedTimestamp - nextTimestamp;
        _highestIn = packet.ExtendedSequence;
        _currentLayer = packet.Layer;
        _currentSsrc = packet.Ssrc;
        if (_currentLayer == _targetLayer)
        {
            _nextKeyframeRequestAt = NoRequest;
        }
    }

    private bool TakeKeyframeRequest(long now)
    {
        if (!_requireKeyframe || _paused || _muted || _targetLayer < 0 || _currentLayer == _targetLayer)
        {
            return false;
        }

        if (_nextKeyframeRequestAt != NoRequest && now < _nextKeyframeRequestAt)
        {
            return false;
        }

        _nextKeyframeRequestAt = now + _keyframeInterval;
        return true;
    }

    private TranslationParams Dropped(DropReason reason, bool requestKeyframe)
    {
        DroppedPackets++;
        return new TranslationParams { DropReason = reason, RequestKeyframe = requestKeyframe, KeyframeLayer = _targetLayer };
    }

    private void SetStopped(ref bool flag, bool value)
    {
        if (flag == value)
        {
            return;
        }

        flag = value;
        _currentLayer = -1;
        _nextKeyframeRequestAt = NoRequest;
    }

    private struct HistoryEntry
    {
        public long Sequence;
        public long SourceSequence;
        public uint Timestamp;
        public uint SourceSsrc;
        public int Layer;
    }
}
