// Server-initiated (un)subscription toward a livekit-client subscriber in Chromium, on /rtc/v1 and on /rtc (v0):
// the backend calls RoomService.UpdateSubscriptions for the camera and microphone of another Chromium participant.
// livekit-client must fire TrackUnsubscribed within 2 s with no RTP for those tracks any more (the server's
// down-track counters freeze), and TrackSubscribed again with video decoded after subscribe=true; ten calls in a
// row leave it in the state of the last one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomServiceClient } from 'livekit-server-sdk';
import { eventually, startServer } from '../lib/server.mjs';
import { KEY, SECRET, frozenTotal, serverSubscriptions, token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';

for (const [path, rtcYaml] of [['v1', ''], ['v0', '  single_peer_connection: false\n']]) {
  describe(`server-initiated subscription changes (livekit-client, ${path})`, () => {
    let server;
    let browser;
    const room = `server-subscriptions-${path}`;

    before(async () => {
      server = await startServer({ rtcYaml, metrics: true });
      browser = await startBrowser();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    test('UpdateSubscriptions false → TrackUnsubscribed within 2 s and no RTP; true → subscribed and decoding; bursts end in the last state', { timeout: 150_000 }, async () => {
      const camera = await browser.newClient('camera');
      const viewer = await browser.newClient('viewer');
      try {
        await camera.connect(server.wsUrl, await token('camera', room));
        await camera.page.evaluate(() => window.harness.room.localParticipant.enableCameraAndMicrophone());
        await viewer.connect(server.wsUrl, await token('viewer', room));
        const video = await viewer.waitFor('trackSubscribed', (e) => e.kind === 'video', 15_000);
        const audio = await viewer.waitFor('trackSubscribed', (e) => e.kind === 'audio', 15_000);
        const sids = [video.sid, audio.sid];
        const api = new RoomServiceClient(server.url, KEY, SECRET);
        const count = (type, sid) => viewer.events.filter((e) => e.type === type && e.sid === sid).length;
        const onServer = async (sid) => (await serverSubscriptions(server, room, 'viewer')).find((s) => s.track_sid === sid);
        const decoded = async () => (await viewer.inboundStats()).filter((s) => s.sid === video.sid && s.kind === 'video').at(-1)?.framesDecoded ?? 0;

        const expectFlowing = async (what) => {
          for (const sid of sids) {
            await eventually(async () => (await onServer(sid))?.forwarding, 5_000, `${what}: ${sid} forwarding on the server`);
          }
          const before = await decoded();
          await eventually(async () => (await decoded()) > before + 20, 15_000, `${what}: video decoded`);
        };
        const expectStopped = async (what, since) => {
          for (const sid of sids) {
            await eventually(() => count('trackUnsubscribed', sid) > (since.get(sid) ?? 0), 2_000, `${what}: TrackUnsubscribed for ${sid} within 2 s`);
            assert.equal((await onServer(sid))?.subscribed, false, `${what}: the server has no subscription for ${sid}`);
          }
          for (const sid of sids) {
            const total = await frozenTotal(server, room, 'viewer', sid);
            await eventually(async () => (await frozenTotal(server, room, 'viewer', sid)) === total, 5_000, `${what}: no RTP for ${sid}`);
          }
        };
        const unsubscribedSoFar = () => new Map(sids.map((sid) => [sid, count('trackUnsubscribed', sid)]));

        await expectFlowing('auto-subscribe');
        let since = unsubscribedSoFar();
        const t0 = Date.now();
        await api.updateSubscriptions(room, 'viewer', sids, false);
        await expectStopped('UpdateSubscriptions false', since);
        const lastAt = (type) => Math.max(...sids.map((sid) => viewer.events.filter((e) => e.type === type && e.sid === sid).at(-1).at));
        const stoppedMs = lastAt('trackUnsubscribed') - t0;

        const subscribedBefore = count('trackSubscribed', video.sid);
        const t1 = Date.now();
        await api.updateSubscriptions(room, 'viewer', sids, true);
        await eventually(() => count('trackSubscribed', video.sid) > subscribedBefore, 2_000, 'TrackSubscribed within 2 s of UpdateSubscriptions(true)');
        await eventually(() => count('trackSubscribed', audio.sid) > subscribedBefore, 2_000, 'audio TrackSubscribed within 2 s');
        const resubscribedMs = lastAt('trackSubscribed') - t1;
        await expectFlowing('UpdateSubscriptions true');

        for (let i = 0; i < 10; i++) await api.updateSubscriptions(room, 'viewer', sids, i % 2 === 1); // last: subscribe
        await expectFlowing('ten calls ending with subscribe');
        since = unsubscribedSoFar();
        for (let i = 0; i < 10; i++) await api.updateSubscriptions(room, 'viewer', sids, i % 2 === 0); // last: unsubscribe
        await expectStopped('ten calls ending with unsubscribe', since);
        await api.updateSubscriptions(room, 'viewer', sids, true);
        await expectFlowing('subscribe after the bursts');

        const metrics = await server.metrics();
        console.log(`${path}: TrackUnsubscribed for both tracks ${stoppedMs} ms after the call, TrackSubscribed ${resubscribedMs} ms; ` +
          `${metrics.starling_negotiations_total} renegotiations in all, ${metrics.starling_negotiation_timeouts_total} timeouts`);
        assert.equal(metrics.starling_negotiation_timeouts_total, 0, 'no renegotiation timed out');
      } catch (err) {
        browser.dumpLogs();
        console.log(`----- server log -----\n${server.output()}\n----- end server log -----`);
        throw err;
      }
    });
  });
}
