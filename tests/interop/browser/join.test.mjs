// livekit-client in headless Chromium and @livekit/rtc-node in one room: join/leave events and reliable data
// both ways, on the single-PC path (/rtc/v1) and on the dual-PC fallback (/rtc, v0).
// Needs real ICE: run inside /work/shared/tools/netns-run with STARLING_TEST_HOST=10.77.0.1.
// A failing test prints each page's console (RTCPeerConnection states, SDP both ways, livekit-client debug log)
// and the server log; STARLING_BROWSER_LOGS=1 prints them for passing tests too.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessToken } from 'livekit-server-sdk';
import { Room as NodeRoom, RoomEvent as NodeRoomEvent, dispose } from '@livekit/rtc-node';
import { eventually, startServer } from '../lib/server.mjs';
import { startBrowser } from '../lib/browser.mjs';

const KEY = 'devkey';
const SECRET = 'secret';
const EVENT_WINDOW_MS = 1_000;

async function token(identity, room) {
  const at = new AccessToken(KEY, SECRET, { identity, ttl: '10m' });
  at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, canPublishData: true });
  return at.toJwt();
}

/** An rtc-node participant whose room events are recorded as { type, at, ... }. */
function nodeParticipant(name) {
  const room = new NodeRoom();
  const events = [];
  const push = (type, data) => events.push({ type, at: Date.now(), ...data });
  room.on(NodeRoomEvent.ParticipantConnected, (p) => push('participantConnected', { identity: p.identity }));
  room.on(NodeRoomEvent.ParticipantDisconnected, (p) => push('participantDisconnected', { identity: p.identity }));
  room.on(NodeRoomEvent.DataReceived, (payload, p, kind, topic) =>
    push('data', { text: new TextDecoder().decode(payload), identity: p?.identity, kind, topic }));
  room.on(NodeRoomEvent.Disconnected, (reason) => push('disconnected', { reason }));
  return {
    name,
    room,
    events,
    waitFor(type, pred = () => true, timeoutMs = 5_000) {
      return eventually(() => events.find((e) => e.type === type && pred(e)), timeoutMs, `${name}: event ${type}`);
    },
    async publish(text, topic) {
      await room.localParticipant.publishData(new TextEncoder().encode(text), { reliable: true, topic });
    },
  };
}

/**
 * The scenario shared by v1 and v0: browser joins, rtc-node joins, both see each other, data flows both
 * ways, rtc-node leaves and rejoins, browser leaves. Returns the browser's join time.
 */
async function joinAndExchange({ server, browser, roomName, label, peerConnections }) {
  const bIdentity = `browser-${label}`;
  const nIdentity = `node-${label}`;
  const client = await browser.newClient(bIdentity);

  const joined = await client.connect(server.wsUrl, await token(bIdentity, roomName));
  console.log('browser join ms', Math.round(joined.joinMs), `(${label}, first in room)`);
  assert.equal(joined.identity, bIdentity);
  assert.match(joined.sid, /^PA_/);
  const status = await client.status();
  assert.equal(status.state, 'connected');
  assert.equal(status.pcs.filter((pc) => pc.conn === 'connected').length, 1, `one PC connected on join: ${JSON.stringify(status.pcs)}`);

  // rtc-node joins: the browser sees it within a second of connect() resolving.
  const node = nodeParticipant(nIdentity);
  nodes.push(node);
  await node.room.connect(server.wsUrl, await token(nIdentity, roomName), { autoSubscribe: true, dynacast: false });
  const nodeJoinedAt = Date.now();
  assert.ok([...node.room.remoteParticipants.values()].some((p) => p.identity === bIdentity), 'rtc-node sees the browser in the room on join');
  const seen = await client.waitFor('participantConnected', (e) => e.identity === nIdentity, EVENT_WINDOW_MS);
  assert.ok(seen.at - nodeJoinedAt <= EVENT_WINDOW_MS, `browser saw the join ${seen.at - nodeJoinedAt} ms late`);

  // Reliable data with a topic, both ways, sender identity set by the server.
  await client.publish(`hello from ${bIdentity}`, { reliable: true, topic: 'chat' });
  const atNode = await node.waitFor('data', (e) => e.text === `hello from ${bIdentity}`);
  assert.equal(atNode.identity, bIdentity);
  assert.equal(atNode.topic, 'chat');

  await node.publish(`hello from ${nIdentity}`, 'replies');
  const atBrowser = await client.waitFor('data', (e) => e.text === `hello from ${nIdentity}`);
  assert.equal(atBrowser.identity, nIdentity);
  assert.equal(atBrowser.topic, 'replies');
  const pcs = (await client.status()).pcs;
  assert.equal(pcs.filter((pc) => pc.conn === 'connected').length, peerConnections, `connected PCs after sending data: ${JSON.stringify(pcs)}`);

  // rtc-node leaves: the browser sees it within a second.
  const nodeLeftAt = Date.now();
  await node.room.disconnect();
  const gone = await client.waitFor('participantDisconnected', (e) => e.identity === nIdentity, EVENT_WINDOW_MS + 1_000);
  assert.ok(gone.at - nodeLeftAt <= EVENT_WINDOW_MS, `browser saw the leave ${gone.at - nodeLeftAt} ms after disconnect()`);

  // The other way round: rtc-node is in the room first, the browser joins and leaves.
  const node2 = nodeParticipant(`${nIdentity}-2`);
  nodes.push(node2);
  await node2.room.connect(server.wsUrl, await token(node2.name, roomName), { autoSubscribe: true, dynacast: false });
  await client.waitFor('participantConnected', (e) => e.identity === node2.name, EVENT_WINDOW_MS);
  const client2 = await browser.newClient(`${bIdentity}-2`);
  const joined2 = await client2.connect(server.wsUrl, await token(client2.name, roomName));
  const browserJoinedAt = Date.now();
  console.log('browser join ms', Math.round(joined2.joinMs), `(${label}, joining 2 participants)`);
  assert.deepEqual(new Set(joined2.remotes), new Set([bIdentity, node2.name]));
  const nodeSaw = await node2.waitFor('participantConnected', (e) => e.identity === client2.name, EVENT_WINDOW_MS);
  assert.ok(nodeSaw.at - browserJoinedAt <= EVENT_WINDOW_MS, `rtc-node saw the browser join ${nodeSaw.at - browserJoinedAt} ms late`);

  await client2.publish('second browser says hi', { reliable: true, topic: 'chat' });
  const fromSecond = await node2.waitFor('data', (e) => e.text === 'second browser says hi');
  assert.equal(fromSecond.identity, client2.name);
  assert.equal(fromSecond.topic, 'chat');
  const echoed = await client.waitFor('data', (e) => e.text === 'second browser says hi');
  assert.equal(echoed.identity, client2.name, 'browser-to-browser data carries the sender identity');

  const browserLeftAt = Date.now();
  await client2.disconnect();
  const nodeSawLeave = await node2.waitFor('participantDisconnected', (e) => e.identity === client2.name, EVENT_WINDOW_MS + 1_000);
  assert.ok(nodeSawLeave.at - browserLeftAt <= EVENT_WINDOW_MS, `rtc-node saw the browser leave ${nodeSawLeave.at - browserLeftAt} ms after disconnect()`);
  await client.waitFor('participantDisconnected', (e) => e.identity === client2.name, EVENT_WINDOW_MS);

  await node2.room.disconnect();
  await client.disconnect();
  return { joined, joined2 };
}

const nodes = [];

async function disconnectNodes() {
  for (const n of nodes.splice(0)) await n.room.disconnect().catch(() => {});
}

after(async () => {
  await disconnectNodes();
  await dispose();
});

for (const mode of ['v1', 'v0']) {
  describe(`livekit-client (Chromium) + rtc-node, ${mode}`, () => {
    let server;
    let browser;

    before(async () => {
      server = await startServer({ rtcYaml: mode === 'v0' ? '  single_peer_connection: false\n' : '' });
      browser = await startBrowser();
    });

    afterEach((t) => {
      if (!t.passed || process.env.STARLING_BROWSER_LOGS) {
        browser?.dumpLogs();
        console.log(`----- server log -----\n${server?.output()}\n----- end server log -----`);
      }
    });

    after(async () => {
      await disconnectNodes();
      await browser?.close();
      const exit = await server?.stop();
      assert.equal(exit?.code, 0, 'server exits 0 on SIGTERM');
    });

    test(`join, leave and data both ways (${mode})`, { timeout: 60_000 }, async () => {
      // v1: one PC. v0: the subscriber PC on join, plus the publisher PC negotiated for the first publishData.
      await joinAndExchange({ server, browser, roomName: `room-${mode}`, label: mode, peerConnections: mode === 'v0' ? 2 : 1 });
      const log = server.output();
      const lines = log.split('\n').filter((l) => / joined room-\w+ as PA_\w+ \(v[01]\)/.test(l));
      assert.ok(lines.length >= 4, `server logged every join:\n${lines.join('\n')}`);
      for (const l of lines) assert.ok(l.includes(`(${mode})`), `every join used ${mode}: ${l}`);
    });
  });
}
