// Bandwidth estimation toward a subscriber: Chromium publishes its fake camera at 720p with simulcast, a second
// Chromium subscribes asking for HIGH quality, and the subscriber's downstream goes through a UDP relay that can act
// as a bottleneck link. Starling stamps transport-wide sequence numbers on what it sends, estimates the path from
// the subscriber's transport-cc feedback, and its stream allocator lowers the layer when the link narrows, pauses the
// video (StreamStateUpdate: paused) when not even the lowest layer fits, and climbs back when the link opens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../lib/server.mjs';
import { token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';
import { startServerBehindRelay } from '../lib/udp-relay.mjs';

describe('subscriber bandwidth estimation and stream allocation (Chromium through a bottleneck)', () => {
  let server;
  let relay;
  let browser;

  before(async () => {
    // the server listens on loopback and advertises the namespace address, where the relay listens
    ({ server, relay } = await startServerBehindRelay());
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    await relay?.close();
    await server?.stop();
    if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
  });

  test('a narrow link lowers the layer, a very narrow one pauses the video, and an open one brings HIGH back', { timeout: 150_000 }, async () => {
    const room = 'bottleneck';
    const subscriber = await browser.newClient('subscriber');
    await subscriber.connect(server.wsUrl, await token('subscriber', room), { roomOptions: { adaptiveStream: false, dynacast: true } });
    await subscriber.page.evaluate(() => {
      window.videoPub = null;
      window.streamStates = [];
      const E = window.LivekitClient.RoomEvent;
      window.harness.room.on(E.TrackSubscribed, (track, pub) => {
        if (track.kind === 'video') {
          window.videoPub = pub;
          pub.setVideoQuality(window.LivekitClient.VideoQuality.HIGH);
        }
      });
      window.harness.room.on(E.TrackStreamStateChanged, (pub, state) => window.streamStates.push({ at: performance.now(), state }));
    });
    const publisher = await browser.newClient('publisher');
    await publisher.connect(server.wsUrl, await token('publisher', room), { roomOptions: { dynacast: true } });
    await publisher.page.evaluate(() => window.harness.room.localParticipant.setCameraEnabled(
      true, { resolution: window.LivekitClient.VideoPresets.h720.resolution }, { simulcast: true }));

    // what the subscriber decodes, and the stream state livekit-client reports
    let last = null;
    const sample = async () => {
      const s = await subscriber.page.evaluate(async () => {
        const track = window.videoPub?.track;
        if (!track) return null;
        for (const r of (await track.receiver.getStats()).values()) {
          if (r.type === 'inbound-rtp' && r.kind === 'video') {
            return { t: performance.now(), frames: r.framesDecoded ?? 0, width: r.frameWidth ?? 0, state: track.streamState, bytes: r.bytesReceived ?? 0 };
          }
        }
        return null;
      });
      const fps = s && last ? ((s.frames - last.frames) * 1000) / (s.t - last.t) : 0;
      const kbps = s && last ? ((s.bytes - last.bytes) * 8) / (s.t - last.t) : 0;
      last = s;
      return s && { ...s, fps, kbps };
    };
    const log = [];
    const waitFor = async (what, predicate, timeoutMs) => {
      const started = Date.now();
      try {
        return await eventually(async () => {
          const s = await sample();
          if (s) log.push(`${what} +${Date.now() - started}ms: ${s.width}px ${s.fps.toFixed(0)}fps ${s.kbps.toFixed(0)}kbps ${s.state}`);
          return s && predicate(s) ? s : null;
        }, timeoutMs, what, 500);
      } finally {
        console.log(log.splice(0).slice(-6).join('\n'));
      }
    };

    const open = await waitFor('HIGH over an open link', (s) => s.width === 1280 && s.fps > 5, 30_000);
    relay.downRateKbps = 600;
    const startedNarrow = Date.now();
    const narrow = await waitFor('a lower layer over 600 kbps', (s) => s.width > 0 && s.width <= 640 && s.fps > 5, 30_000);
    const narrowMs = Date.now() - startedNarrow;

    relay.downRateKbps = 40;
    const paused = await waitFor('paused over 40 kbps', (s) => s.state === 'paused', 30_000);

    relay.downRateKbps = 0;
    const resumed = await waitFor('active again over an open link', (s) => s.state === 'active' && s.fps > 5, 40_000);
    const high = await waitFor('HIGH again', (s) => s.width === 1280 && s.fps > 5, 60_000);
    const states = await subscriber.page.evaluate(() => window.streamStates.map((s) => s.state));
    console.log(`congestion: open ${open.width}px; 600 kbps -> ${narrow.width}px after ${narrowMs} ms; 40 kbps -> ${paused.state}; `
      + `open -> ${resumed.state} then ${high.width}px; stream states ${states.join(',')}; relay queue drops ${relay.stats.downShaped}`);
    assert.deepEqual(states.slice(0, 2), ['paused', 'active'], 'StreamStateUpdate paused then active');
  });
});
