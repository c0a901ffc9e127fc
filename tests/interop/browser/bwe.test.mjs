// Bandwidth estimation toward a publisher: livekit-client in Chromium publishes its fake camera at 720p with the
// default three simulcast layers. Chrome's send-side estimate (goog-cc) only ramps up when the receiver sends
// transport-cc feedback, and it only encodes the top layer ('f', 1280x720) once the estimate covers it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomEvent, TrackKind, VideoStream, dispose } from '@livekit/rtc-node';
import { eventually, startServer } from '../lib/server.mjs';
import { join, token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';

// Runs in the page: the publisher's video outbound-rtp streams and the selected candidate pair.
const publisherStats = async () => {
  const result = { layers: [], availableOutgoingBitrate: 0, rtt: undefined, remoteInbound: [] };
  for (const pc of window.__pcs) {
    const stats = await pc.getStats();
    const pairId = [...stats.values()].find((s) => s.type === 'transport')?.selectedCandidatePairId;
    for (const s of stats.values()) {
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        result.layers.push({
          rid: s.rid, active: s.active, frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0, framesSent: s.framesSent ?? 0,
          bytesSent: s.bytesSent ?? 0, qualityLimitationReason: s.qualityLimitationReason, targetBitrate: s.targetBitrate, nackCount: s.nackCount,
        });
      } else if (s.type === 'candidate-pair' && (s.id === pairId || (!pairId && s.nominated && s.state === 'succeeded'))) {
        result.availableOutgoingBitrate = Math.max(result.availableOutgoingBitrate, s.availableOutgoingBitrate ?? 0);
        result.rtt = s.currentRoundTripTime;
      } else if (s.type === 'remote-inbound-rtp' && s.kind === 'video') {
        // Chrome builds these from our receiver reports; roundTripTime needs their LSR/DLSR.
        result.remoteInbound.push({ ssrc: s.ssrc, roundTripTime: s.roundTripTime, fractionLost: s.fractionLost, packetsLost: s.packetsLost });
      }
    }
  }
  result.layers.sort((a, b) => b.frameWidth - a.frameWidth);
  return result;
};

describe('publisher bandwidth estimation (transport-cc feedback)', () => {
  let server;
  let browser;
  const rooms = [];

  before(async () => {
    server = await startServer();
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    for (const r of rooms) await r.disconnect().catch(() => {});
    await dispose();
    await server?.stop();
  });

  test('Chromium sends the 1280x720 simulcast layer and estimates over 1.5 Mbps', { timeout: 90_000 }, async () => {
    const viewer = await join(server.wsUrl, 'bwe', 'viewer');
    rooms.push(viewer.room);
    const decoded = [];
    viewer.room.on(RoomEvent.TrackSubscribed, async (track) => {
      if (track.kind !== TrackKind.KIND_VIDEO) return;
      for await (const ev of new VideoStream(track)) decoded.push({ w: ev.frame.width, h: ev.frame.height });
    });
    const chrome = await browser.newClient('simulcaster');
    const started = Date.now();
    const history = [];
    try {
      await chrome.connect(server.wsUrl, await token('simulcaster', 'bwe'));
      await chrome.page.evaluate(async () => {
        const LK = window.LivekitClient;
        await window.harness.room.localParticipant.setCameraEnabled(true, { resolution: LK.VideoPresets.h720.resolution }, { simulcast: true });
      });
      let previousFrames;
      const stats = await eventually(async () => {
        const s = await chrome.page.evaluate(publisherStats);
        history.push({ t: Date.now() - started, ...s });
        const top = s.layers[0];
        const growing = top && previousFrames !== undefined && top.framesSent > previousFrames;
        previousFrames = top?.framesSent;
        return growing && top.frameWidth === 1280 && s.availableOutgoingBitrate > 1_500_000 ? s : null;
      }, 15_000, 'the 1280x720 layer is sent and availableOutgoingBitrate > 1.5 Mbps');
      const describe = (s) => `availableOutgoingBitrate ${(s.availableOutgoingBitrate / 1e6).toFixed(2)} Mbps, `
        + `layers ${s.layers.map((l) => `${l.rid}:${l.frameWidth}x${l.frameHeight}/${l.framesSent}`).join(' ')}, `
        + `remote-inbound ${s.remoteInbound.map((r) => `rtt=${r.roundTripTime} lost=${r.packetsLost}`).join(' ')}`;
      console.log(`after ${((Date.now() - started) / 1000).toFixed(1)} s: ${describe(stats)}`);
      assert.equal(stats.layers[0].frameWidth, 1280);
      assert.equal(stats.layers[0].frameHeight, 720);
      assert.ok(stats.layers.length >= 3, `three simulcast layers (got ${stats.layers.length})`);

      // It holds: 90 more frames of the top layer (about 3 s), still at 1280x720 and above 1.5 Mbps, and Chrome has
      // round-trip times from our receiver reports for every layer.
      const reached = stats.layers[0].framesSent;
      const later = await eventually(async () => {
        const s = await chrome.page.evaluate(publisherStats);
        history.push({ t: Date.now() - started, ...s });
        return s.layers[0]?.framesSent >= reached + 90 && s.remoteInbound.length >= 3 && s.remoteInbound.every((r) => r.roundTripTime !== undefined) ? s : null;
      }, 10_000, '90 more frames of the top layer and an RTT for every layer');
      console.log(`after ${((Date.now() - started) / 1000).toFixed(1)} s: ${describe(later)}`);
      assert.equal(later.layers[0].frameWidth, 1280);
      assert.ok(later.availableOutgoingBitrate > 1_500_000, `still above 1.5 Mbps (got ${later.availableOutgoingBitrate})`);
      assert.ok(later.remoteInbound.every((r) => r.roundTripTime < 0.5), 'RTTs from LSR/DLSR are plausible on a local link');
      await eventually(() => decoded.length > 0, 10_000, 'the subscriber decodes video');
    } catch (err) {
      printHistory(history);
      chrome.dumpLogs();
      throw err;
    }
    if (process.env.STARLING_BWE_HISTORY) printHistory(history);
  });
});

function printHistory(history) {
  let last = -Infinity;
  for (const h of history) {
    if (h.t - last < 500 && h !== history.at(-1)) continue;
    last = h.t;
    console.log(`+${h.t} ms: aob ${(h.availableOutgoingBitrate / 1e6).toFixed(2)} Mbps, rtt ${h.remoteInbound.map((r) => r.roundTripTime).join('/')}, `
      + h.layers.map((l) => `${l.rid}:${l.frameWidth}x${l.frameHeight}/${l.framesSent} ${l.qualityLimitationReason} tb=${l.targetBitrate}`).join(' | '));
  }
}
