// Track lifecycle through the SFU with rtc-node (inside netns-run): screen share with its audio, mute and unmute
// acting on forwarding, and unpublish (subscribers drop the track, track_unpublished fires, a new track flows).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomEvent, TrackKind, TrackSource, VideoStream, dispose } from '@livekit/rtc-node';
import { RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';
import { eventually, startServer } from '../lib/server.mjs';
import { KEY, SECRET, join, publishVideo as publishMovingVideo } from '../lib/rtc.mjs';
import { collectAudio, isSilent, isTone, publishSine } from '../lib/audio.mjs';
import { startWebhookSink } from '../lib/webhook-sink.mjs';

const W = 640;
const H = 360;

describe('track lifecycle (rtc-node over WebRTC)', () => {
  let server;
  let sink;
  const rooms = [];
  const cleanups = [];

  before(async () => {
    sink = await startWebhookSink();
    server = await startServer({ configYaml: `webhook:\n  api_key: ${KEY}\n  urls:\n    - ${sink.url}\nroom:\n  enable_remote_unmute: true\n` });
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    for (const r of rooms) await r.disconnect().catch(() => {});
    await dispose();
    await server?.stop();
    await sink?.close();
    if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
  });

  async function joinTracked(...args) {
    const r = await join(...args);
    rooms.push(r.room);
    return r;
  }

  /** Publishes a moving-gradient camera or screen share; its frames stop at cleanup. */
  async function publishVideo(room, options) {
    const video = await publishMovingVideo(room, { width: W, height: H, ...options });
    cleanups.push(video.stop);
    return video;
  }

  /** Records decoded video frames per track sid at `room`. */
  function collectVideo(room) {
    const frames = new Map();
    const sources = new Map();
    room.on(RoomEvent.TrackSubscribed, async (track, publication) => {
      sources.set(publication.sid, publication.source);
      if (track.kind !== TrackKind.KIND_VIDEO) return;
      const list = [];
      frames.set(publication.sid, list);
      for await (const event of new VideoStream(track)) list.push({ at: Date.now(), width: event.frame.width, height: event.frame.height });
    });
    return { frames, sources, count: (sid) => frames.get(sid)?.length ?? 0 };
  }

  const framesIn = (list, from, to) => (list ?? []).filter((f) => f.at >= from && f.at < to).length;

  test('a screen share with its audio is published and received', { timeout: 60_000 }, async () => {
    const viewer = await joinTracked(server.wsUrl, 'screen', 'viewer');
    const video = collectVideo(viewer.room);
    const audio = collectAudio(viewer.room);
    cleanups.push(() => audio.stop());
    const presenter = await joinTracked(server.wsUrl, 'screen', 'presenter');
    const screen = await publishVideo(presenter.room, { name: 'screen', source: TrackSource.SOURCE_SCREENSHARE });
    const screenAudio = await publishSine(presenter.room, { name: 'screen-audio', source: TrackSource.SOURCE_SCREENSHARE_AUDIO });
    cleanups.push(() => screenAudio.stop());

    await eventually(() => video.count(screen.publication.sid) >= 30, 15_000, '30 decoded screen-share frames');
    const stream = await eventually(() => audio.streams.get(screenAudio.publication.sid), 10_000, 'screen-share audio subscribed');
    await eventually(() => stream.frames.filter((f) => !isSilent(f)).length >= 100, 10_000, '1 s of audible screen-share audio');
    assert.equal(video.sources.get(screen.publication.sid), TrackSource.SOURCE_SCREENSHARE);
    assert.equal(video.sources.get(screenAudio.publication.sid), TrackSource.SOURCE_SCREENSHARE_AUDIO);
    const audible = stream.frames.filter((f) => !isSilent(f));
    const tone = audible.filter((f) => isTone(f, 440, 10, { sampleRate: f.sampleRate })).length;
    assert.ok(tone >= 0.9 * audible.length, `screen-share audio is the 440 Hz tone (${tone}/${audible.length})`);
    const last = video.frames.get(screen.publication.sid).at(-1);
    assert.ok(Math.abs(last.width / last.height - W / H) < 0.02, `16:9 screen frames (got ${last.width}x${last.height})`);

    const info = await new RoomServiceClient(server.url, KEY, SECRET).getParticipant('screen', 'presenter');
    const sources = info.tracks.map((t) => t.source).sort();
    assert.deepEqual(sources, [TrackSource.SOURCE_SCREENSHARE, TrackSource.SOURCE_SCREENSHARE_AUDIO].sort(),
      'the server reports both screen-share sources');
  });

  test('MutePublishedTrack stops forwarding and unmuting resumes it', { timeout: 60_000 }, async () => {
    const viewer = await joinTracked(server.wsUrl, 'mute', 'viewer');
    const video = collectVideo(viewer.room);
    const muted = [];
    viewer.room.on(RoomEvent.TrackMuted, (pub) => muted.push({ sid: pub.sid, muted: true, at: Date.now() }));
    viewer.room.on(RoomEvent.TrackUnmuted, (pub) => muted.push({ sid: pub.sid, muted: false, at: Date.now() }));
    const camera = await joinTracked(server.wsUrl, 'mute', 'camera');
    const cam = await publishVideo(camera.room);
    const sid = cam.publication.sid;
    await eventually(() => video.count(sid) >= 20, 15_000, 'video flowing before mute');

    const api = new RoomServiceClient(server.url, KEY, SECRET);
    await api.mutePublishedTrack('mute', 'camera', sid, true);
    const mutedAt = (await eventually(() => muted.find((m) => m.sid === sid && m.muted), 5000, 'TrackMuted at the viewer')).at;
    // frames already in flight may still decode; a second later nothing may arrive while the publisher keeps sending
    await eventually(() => Date.now() - mutedAt > 2000, 3000, '2 s muted');
    const whileMuted = framesIn(video.frames.get(sid), mutedAt + 1000, mutedAt + 2000);
    assert.equal(whileMuted, 0, `no frames forwarded while muted (got ${whileMuted})`);

    await api.mutePublishedTrack('mute', 'camera', sid, false);
    const unmutedAt = Date.now();
    await eventually(() => muted.some((m) => m.sid === sid && !m.muted), 5000, 'TrackUnmuted at the viewer');
    await eventually(() => framesIn(video.frames.get(sid), unmutedAt, Date.now()) >= 20, 10_000, 'video flows again after unmute');
  });

  test('unpublishing removes the track everywhere, fires track_unpublished, and a new track flows', { timeout: 60_000 }, async () => {
    const viewer = await joinTracked(server.wsUrl, 'unpublish', 'viewer');
    const video = collectVideo(viewer.room);
    const unpublished = [];
    viewer.room.on(RoomEvent.TrackUnpublished, (pub, participant) => unpublished.push({ sid: pub.sid, identity: participant.identity }));
    const unsubscribed = [];
    viewer.room.on(RoomEvent.TrackUnsubscribed, (track, pub) => unsubscribed.push(pub.sid));
    const camera = await joinTracked(server.wsUrl, 'unpublish', 'camera');
    const first = await publishVideo(camera.room, { name: 'first' });
    const firstSid = first.publication.sid;
    await eventually(() => video.count(firstSid) >= 20, 15_000, 'first track flowing');

    await first.stop();
    await camera.room.localParticipant.unpublishTrack(firstSid);
    await eventually(() => unpublished.some((u) => u.sid === firstSid && u.identity === 'camera'), 5000, 'TrackUnpublished at the viewer');
    await eventually(() => unsubscribed.includes(firstSid), 5000, 'TrackUnsubscribed at the viewer');
    const api = new RoomServiceClient(server.url, KEY, SECRET);
    await eventually(async () => (await api.getParticipant('unpublish', 'camera')).tracks.length === 0, 5000, 'the server dropped the track');

    const receiver = new WebhookReceiver(KEY, SECRET);
    await eventually(async () => {
      for (const hook of sink.received) {
        const event = await receiver.receive(hook.body, hook.auth);
        if (event.event === 'track_unpublished' && event.track?.sid === firstSid && event.participant?.identity === 'camera') return true;
      }
      return false;
    }, 5000, 'a valid track_unpublished webhook for the first track');

    const second = await publishVideo(camera.room, { name: 'second' });
    await eventually(() => video.count(second.publication.sid) >= 20, 15_000, 'the second track flows to the viewer');
  });
});
