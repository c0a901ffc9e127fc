using Starling.Sfu.Forwarding;

namespace Starling.Sfu.Tests.Forwarding;

public sealed class ForwarderTests
{
    // Timestamps in milliseconds (frequency 1000); video clock 90 kHz → 90 ticks per ms, 3000 per 33⅓ ms frame.
    private const long Frequency = 1000;

    private static Forwarder Video(int target = 0) =>
        new(new ForwarderOptions { InitialTargetLayer = target, KeyframeRequestInterval = TimeSpan.FromMilliseconds(100) }, Frequency);

    private static Forwarder Audio() => new(ForwarderOptions.Audio, Frequency);

    private static IncomingPacketInfo P(long seq, long ts, int layer = 0, bool key = false, int payload = 100, uint? ssrc = null, bool marker = false) => new()
    {
        Ssrc = ssrc ?? (uint)(1000 + layer),
        Layer = layer,
        ExtendedSequence = seq,
        ExtendedTimestamp = ts,
        IsKeyframe = key,
        PayloadLength = payload,
        Marker = marker,
    };

    // Case table for one layer: each token is an incoming sequence number, "p" suffix = padding-only,
    // "k" suffix = keyframe; expected is the outgoing sequence number or "-" for a drop.
    [Theory]
    [InlineData("in order", "10k 11 12 13", "10 11 12 13")]
    [InlineData("wrap at 65535", "65534k 65535 65536 65537", "65534 65535 65536 65537")]
    [InlineData("upstream loss stays a gap", "10k 11 14 15", "10 11 14 15")]
    [InlineData("late packet fills its gap", "10k 11 14 12 15 13", "10 11 14 12 15 13")]
    [InlineData("duplicate of newest", "10k 11 11 12", "10 11 - 12")]
    [InlineData("duplicate of older", "10k 11 12 11 10", "10 11 12 - -")]
    [InlineData("padding takes no number", "10k 11 12p 13 14p 15p 16", "10 11 - 12 - - 13")]
    [InlineData("late packet before padding", "10k 12p 13 11", "10 - 12 11")]
    [InlineData("late copy of dropped padding", "10k 11p 12 11p", "10 - 11 -")]
    [InlineData("late packet from before start", "10k 11 9 8", "10 11 - -")]
    [InlineData("waits for keyframe", "8 9 10k 11", "- - 10 11")]
    [InlineData("long gap", "10k 11 30011 30012", "10 11 30011 30012")]
    [InlineData("reordered around a gap after padding", "100k 101p 104 102 103", "100 - 103 101 102")]
    public void GetTranslationParams_SingleLayer_Cases(string name, string input, string expected)
    {
        _ = name;
        var forwarder = Video();
        var actual = new List<string>();
        foreach (var token in input.Split(' '))
        {
            var padding = token.EndsWith('p');
            var key = token.EndsWith('k');
            var seq = long.Parse(token.TrimEnd('p', 'k'), System.Globalization.CultureInfo.InvariantCulture);
            var result = forwarder.GetTranslationParams(P(seq, seq * 10, key: key, payload: padding ? 0 : 100), 0);
            actual.Add(result.Drop ? "-" : result.ExtendedSequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(expected, string.Join(' ', actual));
    }

    [Fact]
    public void GetTranslationParams_TimestampsFollowSourceAcrossWrap()
    {
        var forwarder = Video();
        var a = forwarder.GetTranslationParams(P(1, 4294964296, key: true), 0);
        var b = forwarder.GetTranslationParams(P(2, 4294967296 + 704), 33);
        Assert.Equal(4294964296u, a.Timestamp);
        Assert.Equal(704u, b.Timestamp);
        Assert.Equal(4294967296 + 704, forwarder.LastTimestamp);
    }

    [Fact]
    public void GetTranslationParams_FirstPacket_KeepsPublisherNumbersAndMarksSwitch()
    {
        var forwarder = Video();
        var result = forwarder.GetTranslationParams(P(70000, 5_000_000_000, key: true, marker: true), 0);
        Assert.False(result.Drop);
        Assert.True(result.SwitchedSource);
        Assert.True(result.Marker);
        Assert.Equal(unchecked((ushort)70000), result.Sequence);
        Assert.Equal(unchecked((uint)5_000_000_000), result.Timestamp);
    }

    [Fact]
    public void LayerSwitchUp_HappensAtTargetKeyframe_SequenceContiguousTimestampByWallClock()
    {
        var forwarder = Video(target: 0);
        long now = 0;
        // Layer 0 flows; layer 2 carries its own unrelated numbering.
        Assert.False(forwarder.GetTranslationParams(P(100, 9000, layer: 0, key: true), now).Drop);
        Assert.Equal(DropReason.LayerNotSelected, forwarder.GetTranslationParams(P(5000, 777_000, layer: 2), now).DropReason);
        now = 33;
        var last = forwarder.GetTranslationParams(P(101, 12000, layer: 0, marker: true), now);

        forwarder.TargetLayer = 2;
        now = 40;
        var waiting = forwarder.GetTranslationParams(P(5001, 780_000, layer: 2), now);
        Assert.Equal(DropReason.WaitingForKeyframe, waiting.DropReason);
        Assert.True(waiting.RequestKeyframe);
        Assert.Equal(2, waiting.KeyframeLayer);

        // Current layer keeps flowing while waiting; no second request within the interval.
        now = 66;
        var stillLow = forwarder.GetTranslationParams(P(102, 15000, layer: 0), now);
        Assert.False(stillLow.Drop);
        Assert.False(stillLow.RequestKeyframe);
        Assert.Equal(last.ExtendedSequence + 1, stillLow.ExtendedSequence);

        now = 70;
        var key = forwarder.GetTranslationParams(P(5002, 783_000, layer: 2, key: true), now);
        Assert.False(key.Drop);
        Assert.True(key.SwitchedSource);
        Assert.Equal(stillLow.ExtendedSequence + 1, key.ExtendedSequence);
        Assert.Equal(stillLow.Timestamp + (4 * 90u), key.Timestamp); // 4 ms since the last packet sent
        Assert.Equal(2, forwarder.CurrentLayer);

        // After the switch: layer 0 is dropped, layer 2 keeps its own spacing.
        Assert.Equal(DropReason.LayerNotSelected, forwarder.GetTranslationParams(P(103, 18000, layer: 0), now).DropReason);
        var next = forwarder.GetTranslationParams(P(5003, 783_000, layer: 2), now + 1);
        var nextFrame = forwarder.GetTranslationParams(P(5004, 786_000, layer: 2), now + 33);
        Assert.Equal(key.ExtendedSequence + 1, next.ExtendedSequence);
        Assert.Equal(key.Timestamp, next.Timestamp);
        Assert.Equal(key.Timestamp + 3000, nextFrame.Timestamp);
        Assert.False(nextFrame.RequestKeyframe);
    }

    [Fact]
    public void LayerSwitchDown_WaitsForLowerKeyframe()
    {
        var forwarder = Video(target: 2);
        forwarder.GetTranslationParams(P(10, 0, layer: 2, key: true), 0);
        forwarder.TargetLayer = 0;
        Assert.Equal(DropReason.WaitingForKeyframe, forwarder.GetTranslationParams(P(500, 0, layer: 0), 10).DropReason);
        var high = forwarder.GetTranslationParams(P(11, 3000, layer: 2), 33);
        Assert.False(high.Drop);
        var low = forwarder.GetTranslationParams(P(501, 3000, layer: 0, key: true), 34);
        Assert.True(low.SwitchedSource);
        Assert.Equal(12, low.ExtendedSequence);
        Assert.Equal(3090u, low.Timestamp);
        Assert.Equal(0, forwarder.CurrentLayer);
    }

    [Fact]
    public void KeyframeRequests_AreThrottled()
    {
        var forwarder = Video(target: 1);
        Assert.True(forwarder.GetTranslationParams(P(1, 0, layer: 0), 0).RequestKeyframe);
        Assert.False(forwarder.GetTranslationParams(P(2, 0, layer: 1), 50).RequestKeyframe);
        Assert.False(forwarder.TryGetKeyframeRequest(99, out _));
        Assert.True(forwarder.TryGetKeyframeRequest(100, out var layer));
        Assert.Equal(1, layer);
        Assert.False(forwarder.GetTranslationParams(P(3, 0, layer: 1), 150).RequestKeyframe);
        Assert.True(forwarder.GetTranslationParams(P(4, 0, layer: 1), 200).RequestKeyframe);

        // Once on target, no requests; a new target asks at once.
        forwarder.GetTranslationParams(P(5, 0, layer: 1, key: true), 210);
        Assert.False(forwarder.TryGetKeyframeRequest(1000, out _));
        forwarder.TargetLayer = 2;
        Assert.True(forwarder.TryGetKeyframeRequest(1001, out layer));
        Assert.Equal(2, layer);
    }

    [Fact]
    public void Audio_NeverRequestsKeyframes()
    {
        var forwarder = Audio();
        Assert.False(forwarder.TryGetKeyframeRequest(0, out _));
        var r = forwarder.GetTranslationParams(P(1, 960), 0);
        Assert.False(r.Drop);
        Assert.False(r.RequestKeyframe);
    }

    [Fact]
    public void PauseResume_Video_ResumesAtKeyframeWithContinuousNumbers()
    {
        var forwarder = Video();
        forwarder.GetTranslationParams(P(100, 90_000, key: true), 0);
        var last = forwarder.GetTranslationParams(P(101, 93_000), 33);

        forwarder.Paused = true;
        Assert.Equal(DropReason.Paused, forwarder.GetTranslationParams(P(102, 96_000, key: true), 66).DropReason);
        Assert.False(forwarder.TryGetKeyframeRequest(66, out _));
        Assert.Equal(-1, forwarder.CurrentLayer);

        forwarder.Paused = false;
        Assert.True(forwarder.TryGetKeyframeRequest(1000, out _));
        Assert.Equal(DropReason.WaitingForKeyframe, forwarder.GetTranslationParams(P(160, 270_000), 1033).DropReason);
        var resumed = forwarder.GetTranslationParams(P(161, 273_000, key: true), 2033);
        Assert.True(resumed.SwitchedSource);
        Assert.Equal(last.ExtendedSequence + 1, resumed.ExtendedSequence);
        Assert.Equal(last.Timestamp + (2000 * 90u), resumed.Timestamp); // 2 s after the last packet sent
        var after = forwarder.GetTranslationParams(P(162, 276_000), 2066);
        Assert.Equal(resumed.ExtendedSequence + 1, after.ExtendedSequence);
        Assert.Equal(resumed.Timestamp + 3000, after.Timestamp);
    }

    [Fact]
    public void MuteUnmute_Audio_ResumesOnNextPacket()
    {
        var forwarder = Audio();
        forwarder.GetTranslationParams(P(10, 48_000), 0);
        var last = forwarder.GetTranslationParams(P(11, 48_960), 20);
        forwarder.Muted = true;
        Assert.True(forwarder.GetTranslationParams(P(12, 49_920), 40).Drop);
        forwarder.Muted = false;
        var resumed = forwarder.GetTranslationParams(P(200, 500_000), 520);
        Assert.True(resumed.SwitchedSource);
        Assert.Equal(last.ExtendedSequence + 1, resumed.ExtendedSequence);
        Assert.Equal(last.Timestamp + (500 * 48u), resumed.Timestamp);
        Assert.Equal(resumed.Timestamp + 960, forwarder.GetTranslationParams(P(201, 500_960), 540).Timestamp);
    }

    [Fact]
    public void PublisherSsrcChange_Audio_ContinuesImmediately()
    {
        var forwarder = Audio();
        forwarder.GetTranslationParams(P(10, 48_000, ssrc: 1), 0);
        var last = forwarder.GetTranslationParams(P(11, 48_960, ssrc: 1), 20);
        var restarted = forwarder.GetTranslationParams(P(40_000, 123_456_789, ssrc: 2), 40);
        Assert.True(restarted.SwitchedSource);
        Assert.Equal(last.ExtendedSequence + 1, restarted.ExtendedSequence);
        Assert.Equal(last.Timestamp + 960, restarted.Timestamp);
    }

    [Fact]
    public void PublisherSsrcChange_Video_WaitsForKeyframeOfNewSsrc()
    {
        var forwarder = Video();
        forwarder.GetTranslationParams(P(10, 0, key: true, ssrc: 1), 0);
        var last = forwarder.GetTranslationParams(P(11, 3000, ssrc: 1), 33);
        var delta = forwarder.GetTranslationParams(P(900, 5000, ssrc: 2), 66);
        Assert.Equal(DropReason.WaitingForKeyframe, delta.DropReason);
        Assert.True(delta.RequestKeyframe);
        Assert.Equal(-1, forwarder.CurrentLayer);
        var key = forwarder.GetTranslationParams(P(901, 8000, key: true, ssrc: 2), 100);
        Assert.Equal(last.ExtendedSequence + 1, key.ExtendedSequence);
        Assert.Equal(last.Timestamp + (67 * 90u), key.Timestamp);
    }

    [Fact]
    public void TargetNone_DropsEverything()
    {
        var forwarder = Video();
        forwarder.GetTranslationParams(P(1, 0, key: true), 0);
        forwarder.TargetLayer = -1;
        Assert.Equal(DropReason.Paused, forwarder.GetTranslationParams(P(2, 0), 1).DropReason);
        Assert.False(forwarder.TryGetKeyframeRequest(1, out _));
        Assert.Equal(1, forwarder.ForwardedPackets);
        Assert.Equal(1, forwarder.DroppedPackets);
    }

    [Fact]
    public void TryGetForwarded_TranslatesBackAcrossLayerSwitch()
    {
        var forwarder = Video(target: 0);
        forwarder.GetTranslationParams(P(65535, 100, layer: 0, key: true), 0);
        forwarder.GetTranslationParams(P(65536, 200, layer: 0), 1);
        forwarder.TargetLayer = 1;
        var switched = forwarder.GetTranslationParams(P(42, 7000, layer: 1, key: true), 2);
        forwarder.GetTranslationParams(P(43, 7000, layer: 1), 3);

        Assert.True(forwarder.TryGetForwarded(0, out var beforeSwitch)); // outgoing 65536 → seq 0
        Assert.Equal(new ForwardedPacket(0, 1000, 65536, 0, 200), beforeSwitch);
        Assert.True(forwarder.TryGetForwarded(switched.Sequence, out var afterSwitch));
        Assert.Equal(new ForwardedPacket(1, 1001, 42, switched.Sequence, switched.Timestamp), afterSwitch);
        Assert.False(forwarder.TryGetForwarded(5, out _));
    }

    [Fact]
    public void TryGetForwarded_PaddingAndHoles_AreNotFound()
    {
        var forwarder = Video();
        forwarder.GetTranslationParams(P(10, 0, key: true), 0);
        forwarder.GetTranslationParams(P(11, 0, payload: 0), 0); // dropped, no number
        forwarder.GetTranslationParams(P(14, 0), 0); // out 13; 11,12 are holes
        Assert.True(forwarder.TryGetForwarded(13, out var p));
        Assert.Equal(14, p.SourceSequence);
        Assert.False(forwarder.TryGetForwarded(11, out _));
        Assert.False(forwarder.TryGetForwarded(12, out _));
    }

    [Fact]
    public void LatePacket_OlderThanHistory_IsDropped()
    {
        var forwarder = new Forwarder(new ForwarderOptions { HistorySize = 16 }, Frequency);
        forwarder.GetTranslationParams(P(0, 0, key: true), 0);
        for (long s = 2; s < 40; s++)
        {
            forwarder.GetTranslationParams(P(s, 0), 0);
        }

        Assert.Equal(DropReason.OutOfWindow, forwarder.GetTranslationParams(P(1, 0), 0).DropReason);
    }

    [Fact]
    public void Switch_WithNoElapsedTime_StillAdvancesTimestamp()
    {
        var forwarder = Video();
        var a = forwarder.GetTranslationParams(P(1, 1000, layer: 0, key: true), 5);
        forwarder.TargetLayer = 1;
        var b = forwarder.GetTranslationParams(P(1, 1000, layer: 1, key: true), 5);
        Assert.Equal(a.Timestamp + 1, b.Timestamp);
        Assert.Equal(a.ExtendedSequence + 1, b.ExtendedSequence);
    }

    [Fact]
    public void RandomisedSimulcast_OutgoingNeverRepeatsAndTimestampsNeverGoBack()
    {
        var random = new Random(42);
        var forwarder = Video(target: 0);
        long[] seq = [1000, 20000, 40000];
        long[] ts = [0, 1_000_000, 2_000_000];
        var sent = new HashSet<long>();
        long lastOut = -1;
        long lastTs = -1;
        for (var frame = 0; frame < 3000; frame++)
        {
            var now = frame * 33L;
            if (frame % 97 == 0)
            {
                forwarder.TargetLayer = random.Next(0, 3);
            }

            if (frame % 501 == 0)
            {
                forwarder.Paused = !forwarder.Paused;
            }

            for (var layer = 0; layer < 3; layer++)
            {
                var key = frame % 60 == layer * 7;
                for (var i = 0; i < 3; i++)
                {
                    var r = forwarder.GetTranslationParams(P(seq[layer]++, ts[layer], layer, key: key && i == 0, payload: random.Next(10) == 0 ? 0 : 100), now);
                    if (!r.Drop)
                    {
                        Assert.True(sent.Add(r.ExtendedSequence));
                        Assert.True(r.ExtendedSequence == lastOut + 1 || lastOut < 0, $"gap at frame {frame}");
                        Assert.True(r.Timestamp >= lastTs || lastTs < 0);
                        lastOut = r.ExtendedSequence;
                        lastTs = r.Timestamp;
                    }
                }

                ts[layer] += 3000;
            }
        }

        Assert.True(forwarder.ForwardedPackets > 1000);
    }
}
