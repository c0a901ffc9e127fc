// Media between livekit-client in Chromium and @livekit/rtc-node through Starling (single peer connection), between
// two Chromium clients on the dual peer connection path, and RTX retransmissions to a Chromium subscriber under loss.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AudioStream, RoomEvent, TrackKind, VideoStream, dispose,
} from '@livekit/rtc-node';
import { eventually, startServer } from '../lib/server.mjs';
import { join, publishVideo, token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';
import { startServerBehindRelay } from '../lib/udp-relay.mjs';

describe('media between Chromium and rtc-node (v1)', () => {
  let server;
  let browser;
  const rooms = [];
  const stops = [];

  before(async () => {
    server = await startServer();
    browser = await startBrowser();
  });

  after(async () => {
    for (const stop of stops) await stop();
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
    stops.push((await publishVideo(camera.room, { width: W, height: H })).stop);
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

// The dual peer connection path (/rtc, livekit-client with single_peer_connection off): the publisher offers on its
// publisher PC, the server offers the subscriber PC with one sendonly section per subscribed track.
describe('media between two Chromium clients (v0, dual peer connection)', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ rtcYaml: '  single_peer_connection: false\n' });
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Stats of `client`'s subscribed tracks from `identity`'s publisher, keyed by kind. */
  const inbound = async (client) => Object.fromEntries((await client.inboundStats()).map((s) => [s.kind, s]));

  /** Waits until `client` decodes video and receives audio, and both keep increasing. */
  async function assertMediaFlows(client, label) {
    const first = await eventually(async () => {
      const s = await inbound(client);
      return s.video?.framesDecoded > 0 && s.video.frameWidth > 0 && s.audio?.packetsReceived > 0 ? s : null;
    }, 15_000, `${label}: first decoded video frame and audio packets`);
    const later = await eventually(async () => {
      const s = await inbound(client);
      return s.video?.framesDecoded >= first.video.framesDecoded + 30 && s.audio?.packetsReceived >= first.audio.packetsReceived + 50 ? s : null;
    }, 10_000, `${label}: video frames and audio packets keep arriving`);
    console.log(`${label}: ${later.video.framesDecoded} frames decoded at ${later.video.frameWidth}x${later.video.frameHeight}, ${later.audio.packetsReceived} audio packets`);
    return later;
  }

  test('a Chromium camera and microphone are decoded by Chromium subscribers', { timeout: 90_000 }, async () => {
    const viewer = await browser.newClient('v0-viewer');
    const camera = await browser.newClient('v0-camera');
    let late;
    try {
      // the viewer is in the room first: the tracks reach it in a renegotiation of its subscriber PC
      await viewer.connect(server.wsUrl, await token('v0-viewer', 'v0-media'));
      await camera.connect(server.wsUrl, await token('v0-camera', 'v0-media'));
      await camera.page.evaluate(() => window.harness.room.localParticipant.enableCameraAndMicrophone());
      await viewer.waitFor('trackSubscribed', (e) => e.kind === 'video' && e.identity === 'v0-camera', 15_000);
      await viewer.waitFor('trackSubscribed', (e) => e.kind === 'audio' && e.identity === 'v0-camera', 15_000);
      await assertMediaFlows(viewer, 'v0 viewer (joined first)');

      // the frames reach a <video> element
      assert.ok(await viewer.page.evaluate(() => window.harness.watchVideo()), 'a video track to attach');
      await eventually(() => viewer.page.evaluate(() => window.presentedFrames >= 10), 10_000, 'the <video> element presents frames');

      // a participant joining later gets the published tracks in its first subscriber offer
      late = await browser.newClient('v0-late');
      await late.connect(server.wsUrl, await token('v0-late', 'v0-media'));
      await assertMediaFlows(late, 'v0 viewer (joined later)');

      // every PC the clients use is connected: the camera's publisher PC and everyone's subscriber PC
      const pcs = (await camera.status()).pcs;
      assert.equal(pcs.filter((pc) => pc.conn === 'connected').length, 2, `camera has two connected PCs: ${JSON.stringify(pcs)}`);
      const joins = server.output().split('\n').filter((l) => / joined v0-media as PA_\w+ \(v[01]\)/.test(l));
      assert.equal(joins.length, 3, `three joins logged:\n${joins.join('\n')}`);
      for (const l of joins) assert.ok(l.includes('(v0)'), `join used v0: ${l}`);
    } catch (err) {
      browser.dumpLogs();
      console.log(`----- server log -----\n${server.output()}\n----- end server log -----`);
      throw err;
    }
  });

  test('unsubscribing ends the track; subscribing again brings it back in the same section', { timeout: 60_000 }, async () => {
    const viewer = browser.clients.find((c) => c.name === 'v0-viewer');
    try {
      const videoSid = (await viewer.waitFor('trackSubscribed', (e) => e.kind === 'video')).sid;
      const setSubscribed = (subscribed) => viewer.page.evaluate(([sid, on]) => {
        for (const p of window.harness.room.remoteParticipants.values()) p.trackPublications.get(sid)?.setSubscribed(on);
      }, [videoSid, subscribed]);
      const midOf = () => viewer.page.evaluate((sid) => {
        const track = window.harness.remoteTracks.filter((t) => t.sid === sid).at(-1);
        const pc = window.__pcs.find((p) => p.getTransceivers().some((t) => t.receiver === track?.receiver));
        return pc?.getTransceivers().find((t) => t.receiver === track.receiver)?.mid ?? null;
      }, videoSid);
      const mid = await midOf();
      assert.ok(mid, 'the video track has a transceiver');

      await setSubscribed(false);
      await viewer.waitFor('trackUnsubscribed', (e) => e.sid === videoSid, 10_000);
      // the answer that confirms the section inactive has gone out before the next request
      await eventually(() => viewer.page.evaluate((m) => window.__pcs.some((pc) => pc.signalingState === 'stable'
        && pc.getTransceivers().some((t) => t.mid === m && t.currentDirection === 'inactive')), mid), 10_000, 'the section is answered inactive');
      const subscribedAgain = () => viewer.events.filter((e) => e.type === 'trackSubscribed' && e.sid === videoSid).length >= 2;
      await setSubscribed(true);
      await eventually(subscribedAgain, 10_000, 'the video track is subscribed again');
      const video = async () => (await viewer.inboundStats()).filter((s) => s.sid === videoSid && s.kind === 'video').at(-1);
      const again = await eventually(async () => { const v = await video(); return v?.framesDecoded > 0 ? v : null; }, 15_000, 'video decoded again after resubscribing');
      const after = await eventually(async () => {
        const v = await video();
        return v?.framesDecoded >= again.framesDecoded + 30 && v.frameWidth > 0 ? v : null;
      }, 10_000, 'video keeps being decoded after resubscribing');
      console.log(`v0 resubscribe: ${after.framesDecoded} frames decoded at ${after.frameWidth}x${after.frameHeight}, mid ${mid} -> ${await midOf()}`);
      assert.equal(await midOf(), mid, 'the inactive section was reused');
    } catch (err) {
      browser.dumpLogs();
      console.log(`----- server log -----\n${server.output()}\n----- end server log -----`);
      throw err;
    }
  });
});

// RTX toward subscribers: a Chromium subscriber reaches the server through a UDP relay that drops 5% of what the
// server sends it. Chromium NACKs the holes and counts a retransmission in `retransmittedPacketsReceived` only when
// it arrives as RTX (RFC 4588) on the SSRC paired with the media by our `a=ssrc-group:FID`, so a non-zero count
// proves the negotiation and the wrapping on both signalling paths.
for (const [path, rtcYaml] of [['v1', ''], ['v0', '  single_peer_connection: false\n']]) {
  describe(`retransmissions to a Chromium subscriber under 5% loss arrive as RTX (${path})`, () => {
    let server;
    let relay;
    let browser;

    before(async () => {
      // the server listens on loopback and advertises the namespace address, where the relay listens
      ({ server, relay } = await startServerBehindRelay({ rtcYaml, metrics: true, seed: 4588 }));
      browser = await startBrowser();
    });

    after(async () => {
      await browser?.close();
      await relay?.close();
      await server?.stop();
      if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
    });

    test('Chromium NACKs lost video and receives the retransmissions as RTX', { timeout: 90_000 }, async () => {
      const chrome = await browser.newClient(`rtx-${path}`);
      try {
        await chrome.connect(server.wsUrl, await token(`rtx-${path}`, 'rtx'));
        const camera = await browser.newClient(`rtx-camera-${path}`);
        await camera.connect(server.wsUrl, await token(`rtx-camera-${path}`, 'rtx'));
        await camera.page.evaluate(() => window.harness.room.localParticipant.setCameraEnabled(true));
        const video = async () => (await chrome.inboundStats()).find((s) => s.kind === 'video');
        await eventually(async () => (await video())?.framesDecoded > 0, 15_000, 'Chromium decodes the other Chromium camera');
        const before = await server.metrics();
        relay.downLoss = 0.05;
        const repaired = await eventually(async () => {
          const v = await video();
          return v?.nackCount > 0 && v.retransmittedPacketsReceived >= 10 && v.framesDecoded >= 90 ? v : null;
        }, 30_000, 'Chromium NACKs and receives retransmissions as RTX').catch(async (err) => {
          throw new Error(`${err.message}: ${JSON.stringify(await video())}`);
        });
        relay.downLoss = 0;
        const after = await server.metrics();
        const retransmitted = after.starling_rtp_retransmitted_total - before.starling_rtp_retransmitted_total;
        console.log(`${path} RTX: relay dropped ${relay.stats.downDropped}/${relay.stats.downMedia} datagrams; Chromium sent ${repaired.nackCount} NACKs, `
          + `received ${repaired.retransmittedPacketsReceived} retransmissions as RTX (${repaired.packetsReceived} packets, ${repaired.packetsLost} lost, `
          + `${repaired.framesDecoded} frames decoded); server retransmitted ${retransmitted}, nack misses ${after.starling_nack_misses_total}`);
        assert.ok(retransmitted >= repaired.retransmittedPacketsReceived * 0.5, 'the server counted the retransmissions');
      } catch (err) {
        browser.dumpLogs();
        console.log(`----- server log -----\n${server.output()}\n----- end server log -----`);
        throw err;
      }
    });
  });
}
