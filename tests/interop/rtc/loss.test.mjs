// Impairment (inside netns-run): the subscriber reaches the server through a UDP relay that drops 5% of the
// server-to-client RTP/RTCP at random. Video NACKs answered from the SFU's packet cache keep the video decoding;
// audio (rtc-node negotiates no audio NACK) survives through Opus RED passed through the SFU: >= 98% of the audio
// frames stay on tone (the 99% measurement is browser/audio-loss.test.mjs). Then garbage injected on the clients' own paths (RTP/RTCP-looking
// datagrams that fail SRTP authentication) is dropped and counted, and the session carries on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConnectionQuality, RoomEvent, TrackKind, VideoStream, dispose } from '@livekit/rtc-node';
import { eventually } from '../lib/server.mjs';
import { join, publishVideo } from '../lib/rtc.mjs';
import { collectAudio, isSilent, judgeTone, publishSine } from '../lib/audio.mjs';
import { seededRandom, startServerBehindRelay } from '../lib/udp-relay.mjs';

const LOSS = Number(process.env.STARLING_TEST_LOSS ?? 0.05);
const WINDOW_MS = 5000;
const W = 640;
const H = 360;

describe('media under 5% loss towards the subscriber (rtc-node through a lossy relay)', () => {
  let server;
  let relay;
  const rooms = [];
  const cleanups = [];

  before(async () => {
    // the server listens on loopback and advertises the namespace address, where the relay listens
    ({ server, relay } = await startServerBehindRelay({ metrics: true, seed: 20261121 }));
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    for (const r of rooms) await r.disconnect().catch(() => {});
    await dispose();
    await relay?.close();
    await server?.stop();
    if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
  });

  test('under 5% loss RED keeps >= 98% of audio frames on tone and NACKs keep video decoding; malformed SRTP is dropped and counted', { timeout: 90_000 }, async () => {
    const ear = await join(server.wsUrl, 'lossy', 'ear');
    rooms.push(ear.room);
    const qualities = [];
    ear.room.on(RoomEvent.ConnectionQualityChanged, (quality, participant) => qualities.push({ identity: participant.identity, quality }));
    const heard = collectAudio(ear.room);
    cleanups.push(() => heard.stop());
    const video = [];
    ear.room.on(RoomEvent.TrackSubscribed, async (track) => {
      if (track.kind !== TrackKind.KIND_VIDEO) return;
      for await (const event of new VideoStream(track)) video.push({ at: performance.now(), width: event.frame.width });
    });
    const mouth = await join(server.wsUrl, 'lossy', 'mouth');
    rooms.push(mouth.room);
    relay.downLoss = LOSS;

    const sine = await publishSine(mouth.room, { frequency: 440, amplitude: 0.5 });
    cleanups.push(() => sine.stop());
    const camera = await publishVideo(mouth.room, { width: W, height: H });
    cleanups.push(camera.stop);

    const stream = await eventually(() => heard.streams.get(sine.publication.sid), 10_000, 'audio subscribed');
    const first = await eventually(() => stream.frames.find((f) => !isSilent(f)), 10_000, 'audible audio');
    const before = await server.metrics();
    const start = first.at + 500; // let NetEq settle
    await eventually(() => performance.now() > start + WINDOW_MS + 300, WINDOW_MS + 5000, 'the measurement window');
    const after = await server.metrics();

    const frames = stream.frames.filter((f) => f.at >= start && f.at < start + WINDOW_MS);
    const judged = judgeTone(frames, { frequency: 440, tolerance: 10, windowMs: WINDOW_MS });
    const videoFrames = video.filter((f) => f.at >= start && f.at < start + WINDOW_MS).length;
    const retransmitted = after.starling_rtp_retransmitted_total - before.starling_rtp_retransmitted_total;
    const dropRate = relay.stats.downDropped / relay.stats.downMedia;
    console.log(`loss: relay dropped ${relay.stats.downDropped}/${relay.stats.downMedia} media datagrams (${(100 * dropRate).toFixed(1)}%, by payload type ${JSON.stringify(relay.stats.droppedByPayloadType)}); ` +
      `server retransmitted ${retransmitted} packets in the window (nack misses ${after.starling_nack_misses_total}); ` +
      `audio ${judged.toneFrames}/${judged.expected} frames on tone (${judged.frames} frames); video ${(videoFrames / (WINDOW_MS / 1000)).toFixed(1)} fps`);
    assert.ok(dropRate > 0.02 && dropRate < 0.08, `the relay dropped about 5% (got ${(100 * dropRate).toFixed(1)}%)`);
    assert.ok(retransmitted > 0, 'the server answered NACKs with retransmissions');
    // Measured 491-500 of 500 frames on tone over repeated runs (499/500 with the relay dropping nothing: the judge
    // itself misses a frame now and then, and NetEq's concealment of a pure tone also sounds like the tone). The
    // issue's 99% is measured where concealment is visible: browser/audio-loss.test.mjs reads Chromium's own
    // concealedSamples. This test holds 98% of frames on tone so CI is not flaky at the edge.
    assert.ok(judged.toneFrames >= 0.98 * judged.expected, `>= 98% of audio frames on tone (got ${judged.toneFrames}/${judged.expected})`);
    assert.ok(videoFrames / (WINDOW_MS / 1000) >= 10, `video keeps decoding at >= 10 fps (got ${videoFrames / (WINDOW_MS / 1000)})`);

    // the server measures the loss from the subscriber's receiver reports and says so in ConnectionQualityUpdate
    const own = await eventually(() => qualities.find((q) => q.identity === 'ear' && q.quality !== ConnectionQuality.QUALITY_EXCELLENT), 10_000,
      `the subscriber's own connection quality drops below EXCELLENT under loss (${JSON.stringify(qualities)})`);
    assert.ok([ConnectionQuality.QUALITY_GOOD, ConnectionQuality.QUALITY_POOR].includes(own.quality));

    // garbage on each client's own path: RTP- and RTCP-looking datagrams that cannot authenticate
    const random = seededRandom(7);
    const garbage = Array.from({ length: 50 }, (_, i) => { // few enough not to overflow socket buffers
      const b = randomBytes(12 + Math.floor(random() * 1000));
      b[0] = 0x80 | Math.floor(random() * 64);
      b[1] = i % 2 ? 96 + Math.floor(random() * 20) : 200 + Math.floor(random() * 5); // RTP payload types, RTCP SR..APP
      return b;
    });
    const beforeGarbage = await server.metrics();
    const failedBefore = beforeGarbage.starling_srtp_unprotect_failed_total + beforeGarbage.starling_srtcp_unprotect_failed_total;
    const injected = await relay.inject(garbage);
    assert.ok(injected >= garbage.length, `garbage went down the subscriber's path at least (${injected})`);
    let counted = 0;
    await eventually(async () => {
      const m = await server.metrics();
      counted = m.starling_srtp_unprotect_failed_total + m.starling_srtcp_unprotect_failed_total - failedBefore;
      return counted >= injected;
    }, 5000, `all ${injected} injected datagrams counted as failed SRTP/SRTCP`).catch((err) => {
      throw new Error(`${err.message}: counted ${counted} (paths ${relay.activeClients().map((c) => `${c.address}:${c.port}`).join(', ')})`);
    });
    const resumeAt = performance.now();
    await eventually(() => stream.frames.filter((f) => f.at > resumeAt && !isSilent(f)).length >= 100, 5000, 'audio keeps flowing after the garbage');
    await eventually(() => video.filter((f) => f.at > resumeAt).length >= 20, 5000, 'video keeps flowing after the garbage');
  });
});
