// Server-initiated (un)subscription toward an rtc-node subscriber on /rtc/v1 (inside netns-run): the backend calls
// RoomService.UpdateSubscriptions (livekit-server-sdk updateSubscriptions) and the media must stop and come back
// without anything happening on the client side, as the server's own down-track counters and the audio the
// subscriber decodes show. Ten calls in a row leave the client in the state of the last one.
//
// rtc-node 1.1.0 (the Rust SDK inside) emits TrackUnsubscribed only for its own setSubscribed(false), for a track
// that leaves the publisher's ParticipantInfo, or when a new remote track replaces the old one: its
// PeerConnectionObserver's on_remove_track is empty (livekit/rust-sdks libwebrtc/src/native/peer_connection.rs).
// So after a server-side unsubscribe the section goes inactive and the audio stops, but rtc-node fires
// TrackUnsubscribed only when the track is subscribed again (right before TrackSubscribed). The test records the
// events it sees and asserts what the client can observe; browser/subscriptions.test.mjs shows TrackUnsubscribed
// with livekit-client, which handles the removal of the remote track.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioStream, dispose } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { eventually, startServer } from '../lib/server.mjs';
import { KEY, SECRET, frozenTotal, join, serverSubscriptions } from '../lib/rtc.mjs';
import { isSilent, publishSine } from '../lib/audio.mjs';

const ROOM = 'server-subscriptions';

describe('server-initiated subscription changes (rtc-node, v1)', () => {
  let server;
  const rooms = [];
  const stops = [];

  before(async () => {
    server = await startServer({ metrics: true });
  });

  after(async () => {
    for (const stop of stops) await stop().catch(() => {});
    for (const r of rooms) await r.disconnect().catch(() => {});
    await dispose();
    await server?.stop();
  });

  test('UpdateSubscriptions false stops the track within 2 s, true brings it back, ten in a row end in the last state', { timeout: 120_000 }, async () => {
    const viewer = await join(server.wsUrl, ROOM, 'viewer');
    rooms.push(viewer.room);
    const singer = await join(server.wsUrl, ROOM, 'singer');
    rooms.push(singer.room);
    const events = [];
    let audible = 0; // non-silent 10 ms frames decoded, over every subscription
    viewer.room.on('trackSubscribed', (track) => {
      events.push('subscribed');
      (async () => {
        for await (const frame of new AudioStream(track, { sampleRate: 48000, numChannels: 1 })) {
          if (!isSilent(frame)) audible++;
        }
      })().catch(() => {});
    });
    viewer.room.on('trackUnsubscribed', () => events.push('unsubscribed'));
    viewer.room.on('trackUnpublished', () => events.push('unpublished'));
    const sine = await publishSine(singer.room, { frequency: 440, amplitude: 0.5 });
    stops.push(async () => sine.stop());
    const sid = sine.publication.sid;
    const api = new RoomServiceClient(server.url, KEY, SECRET);
    const mine = async () => (await serverSubscriptions(server, ROOM, 'viewer')).find((s) => s.track_sid === sid);
    const flowing = async (what) => {
      const before = audible;
      await eventually(() => audible > before + 50, 5_000, `${what}: audio decoded again`);
      const s = await mine();
      assert.ok(s?.subscribed && s.forwarding, `${what}: the server has a forwarding down-track (${JSON.stringify(s)})`);
      const sent = s.packets_sent;
      await eventually(async () => (await mine()).packets_sent > sent + 10, 5_000, `${what}: the down-track counts packets`);
    };
    const stopped = async (what) => {
      await eventually(async () => (await mine())?.subscribed === false, 2_000, `${what}: the server dropped the subscription within 2 s`);
      const total = await frozenTotal(server, ROOM, 'viewer', sid);
      const heard = audible;
      await eventually(async () => (await frozenTotal(server, ROOM, 'viewer', sid)) === total, 5_000, `${what}: no more RTP for the track`);
      assert.ok(audible - heard <= 10, `${what}: the viewer decodes no more audio (${audible - heard} frames)`);
      return total;
    };

    await eventually(() => events.includes('subscribed'), 10_000, 'auto-subscribed');
    await flowing('auto-subscribe');
    const negotiationsBefore = (await server.metrics()).starling_negotiations_total;

    const t0 = Date.now();
    await api.updateSubscriptions(ROOM, 'viewer', [sid], false);
    const total = await stopped('UpdateSubscriptions false');
    console.log(`rtc-node: media stopped ${Date.now() - t0} ms after UpdateSubscriptions(false) at ${total} packets; events so far: ${events.join(', ')}`);

    const subscribedBefore = events.filter((e) => e === 'subscribed').length;
    await api.updateSubscriptions(ROOM, 'viewer', [sid], true);
    await eventually(() => events.filter((e) => e === 'subscribed').length > subscribedBefore, 2_000, 'TrackSubscribed within 2 s of UpdateSubscriptions(true)');
    await flowing('UpdateSubscriptions true');
    assert.ok((await mine()).packets_sent_total > total, 'the new down-track adds to the total');

    // ten alternating calls in a row, the last one subscribing: the track is subscribed and playing
    for (let i = 0; i < 10; i++) await api.updateSubscriptions(ROOM, 'viewer', [sid], i % 2 === 1);
    await flowing('ten calls ending with subscribe');
    // and ten ending with unsubscribe: nothing arrives
    for (let i = 0; i < 10; i++) await api.updateSubscriptions(ROOM, 'viewer', [sid], i % 2 === 0);
    await stopped('ten calls ending with unsubscribe');
    // a last subscribe still works
    await api.updateSubscriptions(ROOM, 'viewer', [sid], true);
    await flowing('subscribe after the bursts');

    const metrics = await server.metrics();
    const negotiations = metrics.starling_negotiations_total - negotiationsBefore;
    console.log(`rtc-node: ${negotiations} renegotiations for 23 UpdateSubscriptions calls; events: ${events.join(', ')}`);
    assert.ok(negotiations < 23, `bursts are coalesced (${negotiations} renegotiations)`);
    assert.equal(metrics.starling_negotiation_timeouts_total, 0, 'no renegotiation timed out');
    assert.ok(!events.includes('unpublished'), 'the track was never reported unpublished');
  });
});
