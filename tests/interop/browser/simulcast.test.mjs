// Simulcast between two Chromium livekit-client participants through Starling: the publisher sends its fake camera
// at 1280x720 with simulcast, the subscriber (adaptive stream off) asks for LOW then HIGH quality, and the decoded
// resolution follows: down to the smallest layer, back up to the largest layer the publisher is sending.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startServer } from '../lib/server.mjs';
import { token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';

const paths = [{ name: 'v1', rtcYaml: '' }, { name: 'v0', rtcYaml: '  single_peer_connection: false\n' }];

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

    /** Opens a publisher (fake camera, 1280x720, simulcast) and a subscriber; returns probes for both sides. */
    async function setUp(room, { dynacast }) {
      const publisher = await browser.newClient(`publisher-${room}`);
      const subscriber = await browser.newClient(`subscriber-${room}`);
      await subscriber.connect(server.wsUrl, await token('subscriber', room), { roomOptions: { adaptiveStream: false, dynacast: false } });
      await subscriber.page.evaluate(() => {
        window.videoPub = null;
        window.harness.room.on('trackSubscribed', (track, pub) => { if (track.kind === 'video') window.videoPub = pub; });
      });
      await publisher.connect(server.wsUrl, await token('publisher', room), { roomOptions: { dynacast } });
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
      // the layers the publisher is sending: every outbound stream whose frame count moved over the last ~400 ms
      // (several frame intervals, so a layer between two frames is not taken for a stopped one)
      let previous = null;
      let moving = [];
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
        const at = Date.now();
        if (previous && at - previous.at >= 400) {
          moving = Object.entries(now).filter(([k, v]) => v.frames > (previous.layers[k]?.frames ?? Infinity) && v.width > 0).map(([rid, v]) => ({ rid, width: v.width }));
        }
        if (!previous || at - previous.at >= 400) previous = { at, layers: now };
        return moving;
      };
      const setQuality = (quality) => subscriber.page.evaluate((q) => window.videoPub.setVideoQuality(window.LivekitClient.VideoQuality[q]), quality);
      const dump = () => { publisher.dumpLogs(); subscriber.dumpLogs(); };
      await eventually(async () => (await received())?.frames > 10, 20_000, 'subscriber decodes the camera').catch((err) => { dump(); throw err; });
      return { publisher, subscriber, received, sentLayers, setQuality, dump };
    }

    test('choosing LOW then HIGH quality switches the received resolution down and back up', { timeout: 90_000 }, async () => {
      const { subscriber, received, sentLayers, setQuality, dump } = await setUp(`simulcast-${path.name}`, { dynacast: false });
      try {
        await setQuality('LOW');
        const low = await eventually(async () => {
          const layers = await sentLayers();
          const r = await received();
          const smallest = Math.min(...layers.map((l) => l.width));
          return r && layers.length > 1 && r.width === smallest ? { ...r, layers } : null;
        }, 20_000, 'LOW: the subscriber decodes the smallest layer');
        console.log(`${path.name} LOW: ${low.width}x${low.height}; publisher sends ${JSON.stringify(low.layers)}`);

        await setQuality('HIGH');
        const high = await eventually(async () => {
          const layers = await sentLayers();
          const r = await received();
          const largest = Math.max(...layers.map((l) => l.width));
          return r && r.width === largest && r.width === 1280 ? { ...r, layers } : null;
        }, 30_000, 'HIGH: the subscriber decodes the 1280x720 layer (transport-cc lets the publisher send it)');
        console.log(`${path.name} HIGH: ${high.width}x${high.height}; publisher sends ${JSON.stringify(high.layers)}`);
        const before = high.frames;
        await eventually(async () => (await received()).frames >= before + 20, 10_000, 'video keeps decoding after the switches');

        // the publisher's sender reports reach the subscriber, rewritten for the forwarded stream
        const remoteOutbound = await eventually(() => subscriber.page.evaluate(async () => {
          for (const r of (await window.videoPub.track.receiver.getStats()).values()) {
            if (r.type === 'remote-outbound-rtp' && r.packetsSent > 0) return { packetsSent: r.packetsSent, reportsSent: r.reportsSent };
          }
          return null;
        }), 10_000, 'remote-outbound-rtp stats from our sender reports at the subscriber');
        console.log(`${path.name} sender reports at the subscriber: ${JSON.stringify(remoteOutbound)}`);
      } catch (err) {
        dump();
        throw err;
      }
    });

    test('dynacast: the publisher stops sending layers nobody watches and restarts them when wanted', { timeout: 90_000 }, async () => {
      const { received, sentLayers, setQuality, dump } = await setUp(`dynacast-${path.name}`, { dynacast: true });
      try {
        const all = await eventually(async () => { const l = await sentLayers(); return l.length > 1 ? l : null; }, 10_000, 'several layers sent');
        await setQuality('LOW');
        const lowOnly = await eventually(async () => {
          const layers = await sentLayers();
          return layers.length === 1 ? layers : null;
        }, 20_000, 'with only LOW watched the publisher sends one layer');
        const r = await received();
        assert.equal(r.width, lowOnly[0].width, 'the subscriber decodes the one layer sent');
        assert.equal(lowOnly[0].width, Math.min(...all.map((l) => l.width)), 'the layer left is the smallest');

        await setQuality('HIGH');
        const restarted = await eventually(async () => {
          const layers = await sentLayers();
          const now = await received();
          return layers.length > 1 && now.width === Math.max(...layers.map((l) => l.width)) ? { layers, now } : null;
        }, 20_000, 'HIGH: the publisher restarts its layers and the subscriber gets the largest');
        console.log(`${path.name} dynacast: all ${JSON.stringify(all)}, LOW only ${JSON.stringify(lowOnly)}, then ${JSON.stringify(restarted.layers)} -> ${restarted.now.width}x${restarted.now.height}`);
      } catch (err) {
        dump();
        throw err;
      }
    });
  });
}
