// Video through the SFU: an rtc-node VideoSource (640x360) is received as decoded frames of that aspect
// ratio at >= 10 fps, without and with simulcast.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomEvent, TrackKind, VideoStream, dispose } from '@livekit/rtc-node';
import { eventually, startServer } from '../lib/server.mjs';
import { join, publishVideo } from '../lib/rtc.mjs';

const W = 640;
const H = 360;

describe('video forwarding (rtc-node over WebRTC)', () => {
  let server;
  const rooms = [];
  const stops = [];

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    for (const stop of stops) await stop();
    for (const r of rooms) await r.disconnect().catch(() => {});
    await dispose();
    await server?.stop();
  });

  for (const simulcast of [false, true]) {
    test(`a 640x360 camera ${simulcast ? 'with' : 'without'} simulcast arrives as 16:9 frames at >= 10 fps`, async () => {
      const roomName = `video-${simulcast}`;
      const viewer = await join(server.wsUrl, roomName, 'viewer');
      const camera = await join(server.wsUrl, roomName, 'camera');
      rooms.push(viewer.room, camera.room);
      const received = [];
      viewer.room.on(RoomEvent.TrackSubscribed, async (track) => {
        if (track.kind !== TrackKind.KIND_VIDEO) return;
        for await (const event of new VideoStream(track)) {
          received.push({ at: Date.now(), width: event.frame.width, height: event.frame.height });
        }
      });
      stops.push((await publishVideo(camera.room, { width: W, height: H, simulcast })).stop);

      await eventually(() => received.length > 0, 10_000, 'first decoded video frame');
      const start = Date.now();
      await eventually(() => Date.now() - start >= 3000, 5000, '3 s of video');
      const window = received.filter((f) => f.at >= start);
      const fps = window.length / 3;
      console.log(`video (${simulcast ? 'simulcast' : 'single layer'}): ${fps.toFixed(1)} fps, last ${window.at(-1)?.width}x${window.at(-1)?.height}`);
      assert.ok(fps >= 10, `>= 10 fps (got ${fps.toFixed(1)})`);
      for (const f of window) {
        assert.ok(Math.abs(f.width / f.height - W / H) < 0.02, `16:9 frames (got ${f.width}x${f.height})`);
      }
    });
  }
});
