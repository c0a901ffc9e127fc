// Subscription permissions: a livekit-client publisher (Chromium, fake microphone) restricts who may subscribe to
// its tracks with setTrackSubscriptionPermissions. A participant it allows receives the audio; one it does not allow
// receives nothing and hears SubscriptionPermissionUpdate (livekit-client's permissionStatus: not_allowed); allowing
// everyone then subscribes it, and revoking the first participant's permission stops its audio.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startServer } from '../lib/server.mjs';
import { token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';

describe('subscription permissions', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('only allowed participants subscribe, and changes apply to existing subscriptions', { timeout: 90_000 }, async () => {
    const room = 'permissions';
    const publisher = await browser.newClient('publisher');
    await publisher.connect(server.wsUrl, await token('publisher', room));
    await publisher.page.evaluate(async () => {
      await window.harness.room.localParticipant.setMicrophoneEnabled(true);
      window.harness.room.localParticipant.setTrackSubscriptionPermissions(false, [{ participantIdentity: 'alice', allowAll: true }]);
    });

    // a Chromium participant's view: its events, the publication's permission status, audio packets received
    const watch = async (name) => {
      const client = await browser.newClient(name);
      await client.connect(server.wsUrl, await token(name, room));
      await client.page.evaluate(() => {
        window.events = [];
        const E = window.LivekitClient.RoomEvent;
        window.harness.room.on(E.TrackSubscribed, (track) => window.events.push(`subscribed ${track.sid}`));
        window.harness.room.on(E.TrackUnsubscribed, (track) => window.events.push(`unsubscribed ${track.sid}`));
        window.harness.room.on(E.TrackSubscriptionPermissionChanged, (pub, status) => window.events.push(`permission ${pub.trackSid} ${status}`));
      });
      return {
        events: () => client.page.evaluate(() => window.events),
        // the refusal may come while connecting, before listeners exist: read the publication's status too
        state: () => client.page.evaluate(async () => {
          for (const p of window.harness.room.remoteParticipants.values()) {
            for (const pub of p.trackPublications.values()) {
              let packets = 0;
              if (pub.track?.receiver) {
                for (const r of (await pub.track.receiver.getStats()).values()) if (r.type === 'inbound-rtp') packets = r.packetsReceived ?? 0;
              }
              return { sid: pub.trackSid, status: pub.permissionStatus, subscribed: pub.isSubscribed, packets };
            }
          }
          return null;
        }),
      };
    };

    // alice is allowed: subscribed and receiving; bob is told it is not allowed and gets nothing
    const alice = await watch('alice');
    const aliceFlowing = await eventually(async () => { const s = await alice.state(); return s?.packets > 20 ? s : null; }, 15_000, 'alice receives the audio');
    const sid = aliceFlowing.sid;
    const bob = await watch('bob');
    await eventually(async () => (await bob.state())?.status === 'not_allowed', 10_000, 'bob hears not_allowed');
    assert.equal((await bob.state()).packets, 0, 'bob receives nothing');

    // everyone allowed: bob subscribes, hears allowed and receives
    await publisher.page.evaluate(() => window.harness.room.localParticipant.setTrackSubscriptionPermissions(true));
    await eventually(async () => (await bob.state())?.packets > 20, 15_000, 'bob receives once allowed');
    assert.ok((await bob.events()).includes(`permission ${sid} allowed`), 'bob heard allowed');

    // only bob: alice hears not_allowed and its audio stops; bob's carries on
    await publisher.page.evaluate(() => window.harness.room.localParticipant.setTrackSubscriptionPermissions(false, [{ participantIdentity: 'bob', allowAll: true }]));
    await eventually(async () => (await alice.events()).includes(`permission ${sid} not_allowed`), 10_000, 'alice hears not_allowed');
    // livekit-client drops the track (TrackUnsubscribed); no more packets reach alice's receiver
    await eventually(async () => (await alice.events()).includes(`unsubscribed ${sid}`), 10_000, 'alice unsubscribed');
    const stopped = await eventually(async () => {
      const a = (await alice.state()).packets;
      await new Promise((r) => setTimeout(r, 500));
      return (await alice.state()).packets === a ? { packets: a } : null;
    }, 10_000, "alice's audio stops");
    const bobBefore = (await bob.state()).packets;
    await eventually(async () => (await bob.state()).packets > bobBefore + 20, 5_000, "bob's audio carries on");
    console.log(`permissions: alice ${(await alice.events()).join(', ')}; bob ${(await bob.events()).join(', ')}; alice then at ${stopped.packets} packets`);
  });
});
