// Audio under loss, measured where it counts: an rtc-node publisher sends a continuous 440 Hz sine (with Opus RED,
// as the LiveKit SDKs publish it), a Chromium subscriber plays it through a UDP relay that drops 5% of the
// server-to-client RTP/RTCP at random. Chromium's own inbound-rtp statistics say how many RTP packets never arrived
// (packetsLost) and how many samples its jitter buffer had to conceal because no audio was there to play
// (concealedSamples): the redundancy Starling forwards must keep at least 99% of the audio.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dispose } from '@livekit/rtc-node';
import { eventually } from '../lib/server.mjs';
import { join, token } from '../lib/rtc.mjs';
import { publishSine } from '../lib/audio.mjs';
import { startBrowser } from '../lib/browser.mjs';
import { startServerBehindRelay } from '../lib/udp-relay.mjs';

const LOSS = Number(process.env.STARLING_TEST_LOSS ?? 0.05);
const WINDOW_MS = 10_000; // long enough that two losses in a row (all RED cannot repair) stay rare: ~0.25% of frames expected

describe('audio through 5% loss to a Chromium subscriber', () => {
  let server;
  let relay;
  let browser;
  const cleanups = [];

  before(async () => {
    ({ server, relay } = await startServerBehindRelay({ seed: 4401 }));
    browser = await startBrowser();
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await dispose();
    await browser?.close();
    await relay?.close();
    await server?.stop();
    if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
  });

  test('>= 99% of the audio plays without concealment while 5% of packets are lost', { timeout: 90_000 }, async () => {
    const room = 'lossy-audio';
    const ear = await browser.newClient('ear');
    await ear.connect(server.wsUrl, await token('ear', room));
    await ear.page.evaluate(() => {
      window.harness.room.on(window.LivekitClient.RoomEvent.TrackSubscribed, (track) => {
        if (track.kind === 'audio') {
          window.audioTrack = track;
          document.body.appendChild(track.attach()); // played, so the jitter buffer runs
        }
      });
    });
    const mouth = await join(server.wsUrl, room, 'mouth');
    cleanups.push(() => mouth.room.disconnect());
    const sine = await publishSine(mouth.room, { frequency: 440, amplitude: 0.5 });
    cleanups.push(() => sine.stop());

    const stats = () => ear.page.evaluate(async () => {
      const track = window.audioTrack;
      if (!track) return null;
      for (const r of (await track.receiver.getStats()).values()) {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') {
          const codec = (await track.receiver.getStats()).get(r.codecId);
          return {
            packetsReceived: r.packetsReceived ?? 0, packetsLost: r.packetsLost ?? 0, samples: r.totalSamplesReceived ?? 0,
            concealed: r.concealedSamples ?? 0, silentConcealed: r.silentConcealedSamples ?? 0, mime: codec?.mimeType,
          };
        }
      }
      return null;
    });
    await eventually(async () => ((await stats())?.samples ?? 0) > 48_000, 15_000, 'a second of audio played');
    relay.downLoss = LOSS;
    const droppedBefore = relay.stats.downDropped;
    const mediaBefore = relay.stats.downMedia;
    const start = await stats();
    await new Promise((r) => setTimeout(r, WINDOW_MS)); // the measurement window (the statistics are cumulative)
    const end = await stats();
    relay.downLoss = 0;

    const lost = end.packetsLost - start.packetsLost;
    const received = end.packetsReceived - start.packetsReceived;
    const samples = end.samples - start.samples;
    const concealed = end.concealed - start.concealed;
    const kept = 1 - concealed / samples;
    const dropped = (relay.stats.downDropped - droppedBefore) / (relay.stats.downMedia - mediaBefore);
    console.log(`audio-loss: relay dropped ${(100 * dropped).toFixed(1)}% of media datagrams; Chromium (${end.mime}) lost ${lost} of ${lost + received} RTP packets, `
      + `concealed ${concealed} of ${samples} samples: ${(100 * kept).toFixed(2)}% of the audio kept`);
    assert.ok(dropped > 0.02 && dropped < 0.08, `the relay dropped about 5% (got ${(100 * dropped).toFixed(1)}%)`);
    assert.ok(lost > 0.02 * (lost + received), `Chromium saw the loss (${lost} of ${lost + received} packets)`);
    assert.ok(samples > 0.8 * 48 * WINDOW_MS, `audio played through the window (${samples} samples)`);
    assert.ok(kept >= 0.99, `>= 99% of the audio kept (got ${(100 * kept).toFixed(2)}%)`);
  });
});
