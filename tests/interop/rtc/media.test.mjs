// Audio forwarding end to end (inside netns-run): an rtc-node publisher sends a 440 Hz sine through Starling and an
// auto-subscribing rtc-node participant must hear it — as a 440 Hz tone, in real time, with nothing extra subscribed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioStream, TrackKind, dispose } from '@livekit/rtc-node';
import { eventually, startServer } from '../lib/server.mjs';
import { join } from '../lib/rtc.mjs';
import { collectAudio, isSilent, judgeTone, publishSine } from '../lib/audio.mjs';

const TONE_HZ = 440;
const TOLERANCE_HZ = 10;
const WINDOW_MS = 5000;
const SUBSCRIBE_TIMEOUT_MS = 10_000; // LiveKit subscribes in well under a second; fail fast while forwarding is missing

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('audio forwarding (rtc-node over WebRTC)', () => {
  let server;
  const rooms = [];
  const cleanups = [];

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    for (const room of rooms) await room.disconnect().catch(() => {});
    await dispose();
    await server?.stop();
    if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
  });

  async function joinTracked(...args) {
    const r = await join(...args);
    rooms.push(r.room);
    return r;
  }

  test('a 440 Hz sine arrives at an auto-subscribed participant as 440 Hz, in real time', { timeout: 60_000 }, async () => {
    const ear = await joinTracked(server.wsUrl, 'media', 'ear');
    const heard = collectAudio(ear.room, { sampleRate: 48_000, numChannels: 1 });
    cleanups.push(() => heard.stop());
    await joinTracked(server.wsUrl, 'media', 'quiet'); // present, publishes nothing
    const mouth = await joinTracked(server.wsUrl, 'media', 'mouth');
    await eventually(() => ear.room.remoteParticipants.size === 2, 5000, 'ear sees quiet and mouth');

    const sine = await publishSine(mouth.room, { frequency: TONE_HZ, amplitude: 0.5, name: 'sine' });
    cleanups.push(() => sine.stop());
    const sineSid = sine.publication.sid;
    assert.ok(sineSid, 'the publication has a server-assigned sid');

    await eventually(() => heard.subscriptions.length > 0, SUBSCRIBE_TIMEOUT_MS,
      `no audio track subscribed: ear got no TrackSubscribed for mouth's ${sineSid} ` +
      `(TrackPublished ${heard.published.some((p) => p.sid === sineSid) ? 'was' : 'was NOT'} seen)`);
    const sub = heard.subscriptions[0];
    assert.equal(sub.identity, 'mouth');
    assert.equal(sub.sid, sineSid);
    assert.equal(sub.kind, TrackKind.KIND_AUDIO);
    const stream = heard.streams.get(sineSid);

    const firstAudible = await eventually(() => stream.frames.find((f) => !isSilent(f)), 5000,
      `no non-silent audio within 5 s of the subscription (${stream.frames.length} frames, all silent)`);
    await sleep(Math.max(0, firstAudible.at + WINDOW_MS + 300 - performance.now()));
    await sine.stop();
    await heard.stop();
    assert.equal(sine.error, null, `publisher failed: ${sine.error}`);

    const inWindow = stream.frames.filter((f) => f.at >= firstAudible.at && f.at < firstAudible.at + WINDOW_MS);
    const j = judgeTone(inWindow, { frequency: TONE_HZ, tolerance: TOLERANCE_HZ, windowMs: WINDOW_MS });
    const offTone = j.frequencies.filter((f) => Math.abs(f - TONE_HZ) > TOLERANCE_HZ);
    console.log(`media: sent ${sine.framesSent} frames; first audio ${Math.round(firstAudible.at - sine.startedAt)} ms after publish; ` +
      `${j.frames}/${j.expected} 10 ms frames in ${WINDOW_MS} ms, ${j.toneFrames} at ${TONE_HZ} Hz (${(100 * j.toneRatio).toFixed(1)}%)`);
    assert.ok(j.frames >= 0.9 * j.expected, `only ${j.frames} of ${j.expected} expected 10 ms frames arrived in ${WINDOW_MS} ms`);
    assert.ok(j.toneRatio >= 0.95,
      `only ${j.toneFrames}/${j.frames} frames were ${TONE_HZ}±${TOLERANCE_HZ} Hz; off-tone estimates: ${offTone.slice(0, 20).join(', ')}`);

    assert.ok([...ear.room.remoteParticipants.values()].some((p) => p.identity === 'quiet'), 'the silent participant is present');
    assert.deepEqual(heard.subscriptions.map((s) => [s.identity, s.sid]), [['mouth', sineSid]],
      'exactly one TrackSubscribed, for the sine track (quiet publishes nothing)');
  });

  test('active speaker events name the sine publisher and not a participant publishing silence', { timeout: 60_000 }, async () => {
    const listener = await joinTracked(server.wsUrl, 'speakers', 'listener');
    const mouth = await joinTracked(server.wsUrl, 'speakers', 'mouth');
    const quiet = await joinTracked(server.wsUrl, 'speakers', 'quiet');
    const seen = [];
    listener.room.on('activeSpeakersChanged', (speakers) => seen.push(speakers.map((p) => p.identity)));
    const loud = await publishSine(mouth.room, { frequency: 440, amplitude: 0.5, name: 'voice' });
    const silent = await publishSine(quiet.room, { frequency: 440, amplitude: 0, name: 'muted-voice' });
    cleanups.push(async () => loud.stop(), async () => silent.stop());
    await eventually(() => seen.some((s) => s.includes('mouth')), 10_000, 'mouth becomes an active speaker');
    await sleep(1500);
    assert.ok(seen.every((s) => !s.includes('quiet')), `quiet never speaks (${JSON.stringify(seen)})`);
    assert.ok(seen.at(-1).includes('mouth'), 'mouth is still speaking');
    loud.stop();
    await eventually(() => seen.at(-1).length === 0 || !seen.at(-1).includes('mouth'), 10_000, 'mouth stops speaking after its audio stops');
  });

  test('unsubscribing stops a track and subscribing again brings it back', { timeout: 60_000 }, async () => {
    const viewer = await joinTracked(server.wsUrl, 'resubscribe', 'viewer');
    const mouth = await joinTracked(server.wsUrl, 'resubscribe', 'singer');
    const events = [];
    let frames = 0;
    viewer.room.on('trackSubscribed', (track) => {
      events.push('subscribed');
      (async () => {
        for await (const _ of new AudioStream(track, { sampleRate: 48000, numChannels: 1 })) frames++;
      })().catch(() => {});
    });
    viewer.room.on('trackUnsubscribed', () => events.push('unsubscribed'));
    const sine = await publishSine(mouth.room, { frequency: 440, amplitude: 0.5 });
    cleanups.push(async () => sine.stop());
    await eventually(() => events.includes('subscribed') && frames > 50, 10_000, 'audio flowing');
    const publication = [...[...viewer.room.remoteParticipants.values()][0].trackPublications.values()][0];
    publication.setSubscribed(false);
    await eventually(() => events.at(-1) === 'unsubscribed', 10_000, 'TrackUnsubscribed after setSubscribed(false)');
    publication.setSubscribed(true);
    await eventually(() => events.filter((e) => e === 'subscribed').length === 2, 10_000, 'TrackSubscribed again');
    const before = frames;
    await eventually(() => frames > before + 50, 10_000, 'audio flows again');
  });
});
