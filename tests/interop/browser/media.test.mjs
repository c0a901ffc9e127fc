// Media between livekit-client in Chromium and @livekit/rtc-node through Starling (single peer connection).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AudioStream, LocalVideoTrack, RoomEvent, TrackKind, TrackPublishOptions, TrackSource, VideoBufferType, VideoFrame, VideoSource, VideoStream, dispose,
} from '@livekit/rtc-node';
import { eventually, startServer } from '../lib/server.mjs';
import { join, token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';

describe('media between Chromium and rtc-node (v1)', () => {
  let server;
  let browser;
  const rooms = [];
  const timers = [];

  before(async () => {
    server = await startServer();
    browser = await startBrowser();
  });

  after(async () => {
    for (const t of timers) clearInterval(t);
    await browser?.close();
    for (const r of rooms) await r.disconnect().catch(() => {});
    await dispose();
    await server?.stop();
  });

  test('Chromium fake camera and microphone are decoded by an rtc-node subscriber', { timeout: 60_000 }, async () => {
    const viewer = await join(server.wsUrl, 'from-chrome', 'viewer');
    rooms.push(viewer.room);
    const frames = { video: [], audio: 0 };
    viewer.room.on(RoomEvent.TrackSubscribed, async (track) => {
      if (track.kind === TrackKind.KIND_VIDEO) {
        for await (const ev of new VideoStream(track)) frames.video.push({ at: Date.now(), w: ev.frame.width, h: ev.frame.height });
      } else {
        for await (const _ of new AudioStream(track, { sampleRate: 48000, numChannels: 1 })) frames.audio++;
      }
    });
    const chrome = await browser.newClient('camera');
    try {
      await chrome.connect(server.wsUrl, await token('camera', 'from-chrome'));
      await chrome.page.evaluate(() => window.harness.room.localParticipant.enableCameraAndMicrophone());
      await eventually(() => frames.video.length > 0 && frames.audio > 0, 15_000, 'first video and audio frames');
      const start = Date.now();
      await eventually(() => Date.now() - start >= 3000, 5000, '3 s of media');
      const window = frames.video.filter((f) => f.at >= start);
      const fps = window.length / 3;
      console.log(`chrome -> rtc-node: ${fps.toFixed(1)} fps video (${window.at(-1)?.w}x${window.at(-1)?.h}), ${frames.audio} audio frames`);
      assert.ok(fps >= 10, `>= 10 fps (got ${fps.toFixed(1)})`);
      assert.ok(frames.audio >= 200, `audio keeps arriving (got ${frames.audio} frames)`);
    } catch (err) {
      chrome.dumpLogs();
      throw err;
    }
  });

  test('an rtc-node camera is decoded by Chromium', { timeout: 60_000 }, async () => {
    const chrome = await browser.newClient('watcher');
    await chrome.connect(server.wsUrl, await token('watcher', 'to-chrome'));
    await chrome.page.evaluate(() => { window.subscribed = []; window.harness.room.on('trackSubscribed', (t) => window.subscribed.push(t)); });
    const camera = await join(server.wsUrl, 'to-chrome', 'nodecam');
    rooms.push(camera.room);
    const W = 640;
    const H = 360;
    const source = new VideoSource(W, H);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_CAMERA;
    await camera.room.localParticipant.publishTrack(LocalVideoTrack.createVideoTrack('cam', source), options);
    const rgba = new Uint8Array(W * H * 4);
    let n = 0;
    timers.push(setInterval(() => {
      n++;
      for (let i = 0; i < rgba.length; i += 4) rgba[i] = (i / 4 + n * 5) & 0xff;
      source.captureFrame(new VideoFrame(rgba, W, H, VideoBufferType.RGBA));
    }, 33));
    const decoded = async () => chrome.page.evaluate(async () => {
      for (const t of window.subscribed) {
        for (const r of (await t.receiver.getStats()).values()) {
          if (r.type === 'inbound-rtp' && r.kind === 'video') return { frames: r.framesDecoded ?? 0, w: r.frameWidth, h: r.frameHeight };
        }
      }
      return { frames: 0 };
    });
    try {
      const stats = await eventually(async () => { const s = await decoded(); return s.frames >= 60 ? s : null; }, 15_000, 'Chromium decodes 60 frames');
      console.log(`rtc-node -> chrome: ${stats.frames} frames decoded at ${stats.w}x${stats.h}`);
      assert.ok(Math.abs(stats.w / stats.h - W / H) < 0.02, `16:9 (got ${stats.w}x${stats.h})`);
    } catch (err) {
      chrome.dumpLogs();
      throw err;
    }
  });
});
