// Simulcast between two Chromium livekit-client participants through Starling: the publisher sends its fake camera
// at 1280x720 with simulcast, the subscriber (adaptive stream off) asks for LOW then HIGH quality, and the decoded
// resolution follows: down to the smallest layer, back up to the largest layer the publisher is sending.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startServer } from '../lib/server.mjs';
import { token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';

const paths = [{ name: 'v1', rtcYaml: '' }];

for (const path of paths) {
  describe(`simulcast layer choice between Chromium participants (${path.name})`, () => {
    let server;
    let browser;

    before(async () => {
      server = await startServer({ rtcYaml: path.rtcYaml });
      browser = await startBrowser();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
      if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
    });

    test('choosing LOW then HIGH quality switches the received resolution down and back up', { timeout: 90_000 }, async () => {
      const room = `simulcast-${path.name}`;
      const publisher = await browser.newClient('publisher');
      const subscriber = await browser.newClient('subscriber');
      try {
        await subscriber.connect(server.wsUrl, await token('subscriber', room), { roomOptions: { adaptiveStream: false, dynacast: false } });
        await subscriber.page.evaluate(() => {
          window.videoPub = null;
          window.harness.room.on('trackSubscribed', (track, pub) => { if (track.kind === 'video') window.videoPub = pub; });
        });
        await publisher.connect(server.wsUrl, await token('publisher', room), { roomOptions: { dynacast: false } });
        await publisher.page.evaluate(() => window.harness.room.localParticipant.setCameraEnabled(
          true, { resolution: window.LivekitClient.VideoPresets.h720.resolution }, { simulcast: true }));

        // what the subscriber decodes now
        const received = () => subscriber.page.evaluate(async () => {
          const track = window.videoPub?.track;
          if (!track) return null;
          for (const r of (await track.receiver.getStats()).values()) {
            if (r.type === 'inbound-rtp' && r.kind === 'video') return { frames: r.framesDecoded ?? 0, width: r.frameWidth ?? 0, height: r.frameHeight ?? 0 };
          }
          return null;
        });
        // the layers the publisher is sending: every outbound stream whose frame count moved since the previous call
        // (the polling of `eventually` spaces the calls)
        let previous = {};
        const sentLayers = async () => {
          const now = await publisher.page.evaluate(async () => {
            const out = {};
            for (const pc of window.__pcs) {
              for (const r of (await pc.getStats()).values()) {
                if (r.type === 'outbound-rtp' && r.kind === 'video') out[r.rid ?? r.ssrc] = { frames: r.framesSent ?? 0, width: r.frameWidth ?? 0 };
              }
            }
            return out;
          });
          const moving = Object.entries(now).filter(([k, v]) => v.frames > (previous[k]?.frames ?? Infinity) && v.width > 0).map(([rid, v]) => ({ rid, width: v.width }));
          previous = now;
          return moving;
        };

        await eventually(async () => (await received())?.frames > 10, 20_000, 'subscriber decodes the camera');

        await subscriber.page.evaluate(() => window.videoPub.setVideoQuality(window.LivekitClient.VideoQuality.LOW));
        const low = await eventually(async () => {
          const layers = await sentLayers();
          const r = await received();
          const smallest = Math.min(...layers.map((l) => l.width));
          return r && layers.length > 1 && r.width === smallest ? { ...r, layers } : null;
        }, 20_000, 'LOW: the subscriber decodes the smallest layer');
        console.log(`${path.name} LOW: ${low.width}x${low.height}; publisher sends ${JSON.stringify(low.layers)}`);

        await subscriber.page.evaluate(() => window.videoPub.setVideoQuality(window.LivekitClient.VideoQuality.HIGH));
        const high = await eventually(async () => {
          const layers = await sentLayers();
          const r = await received();
          const largest = Math.max(...layers.map((l) => l.width));
          return r && r.width === largest && r.width > low.width ? { ...r, layers } : null;
        }, 20_000, 'HIGH: the subscriber decodes the largest layer being sent');
        console.log(`${path.name} HIGH: ${high.width}x${high.height}; publisher sends ${JSON.stringify(high.layers)}`);
        const before = high.frames;
        await eventually(async () => (await received()).frames >= before + 20, 10_000, 'video keeps decoding after the switches');
      } catch (err) {
        publisher.dumpLogs();
        subscriber.dumpLogs();
        throw err;
      }
    });
  });
}
