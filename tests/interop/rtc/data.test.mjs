// @livekit/rtc-node participants over real WebRTC (inside netns-run): presence, data, RPC, permissions, resume.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioSource, LocalAudioTrack, TrackPublishOptions, TrackSource, dispose } from '@livekit/rtc-node';
import { AccessToken, DataPacket_Kind, RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';
import { eventually, startServer } from '../lib/server.mjs';
import { startWebhookSink } from '../lib/webhook-sink.mjs';
import { KEY, SECRET, join } from '../lib/rtc.mjs';

const enc = new TextEncoder();
const rooms = [];
async function joinTracked(...args) {
  const r = await join(...args);
  rooms.push(r.room);
  return r;
}

describe('rtc-node over WebRTC', () => {
  let server;
  let sink;

  before(async () => {
    sink = await startWebhookSink();
    server = await startServer({ configYaml: `webhook:\n  api_key: ${KEY}\n  urls:\n    - ${sink.url}\nroom:\n  departure_timeout: 1\n` });
  });

  after(async () => {
    for (const room of rooms) await room.disconnect().catch(() => {});
    await dispose();
    await server?.stop();
    if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
    await sink?.close();
  });

  test('participants see each other join and leave within a second', async () => {
    const a = await joinTracked(server.wsUrl, 'presence', 'alice');
    const b = await joinTracked(server.wsUrl, 'presence', 'bob');
    const bobJoinedAt = Date.now();
    await eventually(() => a.joined.some((j) => j.identity === 'bob'), 1000, 'alice sees bob join');
    assert.ok(b.room.remoteParticipants.has('alice') || [...b.room.remoteParticipants.values()].some((p) => p.identity === 'alice'), 'bob sees alice in the room');
    assert.ok(a.joined.find((j) => j.identity === 'bob').at - bobJoinedAt < 1000);
    const leaving = Date.now();
    await b.room.disconnect();
    await eventually(() => a.left.some((l) => l.identity === 'bob'), 1000, 'alice sees bob leave');
    assert.ok(a.left.find((l) => l.identity === 'bob').at - leaving < 1000);
    console.log(`rtc-node join ms: alice ${a.joinMs}, bob ${b.joinMs}`);
  });

  test('500 reliable messages arrive exactly once and in order at every receiver', async () => {
    const sender = await joinTracked(server.wsUrl, 'burst', 'sender');
    const r1 = await joinTracked(server.wsUrl, 'burst', 'r1');
    const r2 = await joinTracked(server.wsUrl, 'burst', 'r2');
    await eventually(() => sender.room.remoteParticipants.size === 2, 5000, 'sender sees both receivers');
    for (let i = 0; i < 500; i++) {
      await sender.room.localParticipant.publishData(enc.encode(`m${i}`), { reliable: true, topic: 'burst' });
    }
    for (const r of [r1, r2]) {
      await eventually(() => r.data.length >= 500, 20_000, `${r.identity} got 500 messages`);
      await new Promise((res) => setImmediate(res));
      const texts = r.data.map((d) => d.payload.toString());
      assert.deepEqual(texts, Array.from({ length: 500 }, (_, i) => `m${i}`), `${r.identity}: exactly once, in order`);
      assert.ok(r.data.every((d) => d.from === 'sender' && d.topic === 'burst'));
    }
  });

  test('destinations, topics, sender identity and a 15 KiB message', async () => {
    const a = await joinTracked(server.wsUrl, 'routing', 'alice');
    const b = await joinTracked(server.wsUrl, 'routing', 'bob');
    const c = await joinTracked(server.wsUrl, 'routing', 'carol');
    await eventually(() => a.room.remoteParticipants.size === 2, 5000, 'alice sees both');
    await a.room.localParticipant.publishData(enc.encode('just for bob'), { reliable: true, destination_identities: ['bob'], topic: 'private' });
    const big = Buffer.alloc(15 * 1024, 7);
    await a.room.localParticipant.publishData(big, { reliable: true, topic: 'big' });
    await eventually(() => b.data.length >= 2 && c.data.length >= 1, 5000, 'deliveries');
    assert.equal(b.data[0].payload.toString(), 'just for bob');
    assert.equal(b.data[0].topic, 'private');
    assert.equal(b.data[0].from, 'alice');
    assert.ok(b.data[1].payload.equals(big));
    assert.equal(c.data.length, 1, 'carol only gets the broadcast');
    assert.ok(c.data[0].payload.equals(big));
    assert.equal(c.data[0].topic, 'big');
  });

  test('lossy messages arrive on a clean network', async () => {
    const a = await joinTracked(server.wsUrl, 'lossy', 'alice');
    const b = await joinTracked(server.wsUrl, 'lossy', 'bob');
    await eventually(() => a.room.remoteParticipants.size === 1, 5000, 'alice sees bob');
    for (let i = 0; i < 50; i++) {
      await a.room.localParticipant.publishData(enc.encode(`l${i}`), { reliable: false });
    }
    await eventually(() => b.data.length === 50, 5000, 'bob got all 50 lossy messages');
    assert.ok(b.data.every((d) => d.from === 'alice'));
  });

  test('server SendData reaches every participant', async () => {
    const a = await joinTracked(server.wsUrl, 'api-data', 'alice');
    const b = await joinTracked(server.wsUrl, 'api-data', 'bob');
    const api = new RoomServiceClient(server.url, KEY, SECRET);
    await api.sendData('api-data', enc.encode('from the server'), DataPacket_Kind.RELIABLE, { topic: 'ops' });
    for (const r of [a, b]) {
      await eventually(() => r.data.length === 1, 5000, `${r.identity} got the server message`);
      assert.equal(r.data[0].payload.toString(), 'from the server');
      assert.equal(r.data[0].topic, 'ops');
    }
  });

  test('an RPC round trip between rtc-node participants', async () => {
    const caller = await joinTracked(server.wsUrl, 'rpc', 'caller');
    const callee = await joinTracked(server.wsUrl, 'rpc', 'callee');
    callee.room.localParticipant.registerRpcMethod('greet', async (data) => `hello ${data.payload} from ${data.callerIdentity}`);
    await eventually(() => caller.room.remoteParticipants.size === 1, 5000, 'caller sees callee');
    const answer = await caller.room.localParticipant.performRpc({ destinationIdentity: 'callee', method: 'greet', payload: 'world' });
    assert.equal(answer, 'hello world from caller');
  });

  test('data streams (text) pass through, large ones in many chunks', async () => {
    const a = await joinTracked(server.wsUrl, 'streams', 'alice');
    const b = await joinTracked(server.wsUrl, 'streams', 'bob');
    const got = [];
    b.room.registerTextStreamHandler('chat', async (reader, from) => got.push({ text: await reader.readAll(), from: from.identity }));
    await eventually(() => a.room.remoteParticipants.size === 1, 5000, 'alice sees bob');
    const long = 'x'.repeat(40_000);
    await a.room.localParticipant.sendText('hi bob', { topic: 'chat' });
    await a.room.localParticipant.sendText(long, { topic: 'chat' });
    await eventually(() => got.length === 2, 10_000, 'both streams received');
    assert.deepEqual(got.map((g) => [g.text.length, g.from]), [[6, 'alice'], [40_000, 'alice']]);
  });

  test('RoomService acts on real participants: update, remove, delete', async () => {
    const api = new RoomServiceClient(server.url, KEY, SECRET);
    const a = await joinTracked(server.wsUrl, 'admin', 'alice');
    const b = await joinTracked(server.wsUrl, 'admin', 'bob');
    await eventually(() => a.room.remoteParticipants.size === 1, 5000, 'alice sees bob');
    const seen = [];
    a.room.on('participantMetadataChanged', (_old, p) => seen.push(['metadata', p.identity, p.metadata]));
    a.room.on('participantAttributesChanged', (changed, p) => seen.push(['attributes', p.identity, JSON.stringify(changed)]));
    const info = await api.updateParticipant('admin', 'bob', { metadata: 'promoted', attributes: { role: 'host' } });
    assert.equal(info.metadata, 'promoted');
    await eventually(() => seen.some((s) => s[0] === 'metadata' && s[2] === 'promoted'), 5000, 'alice sees bob\'s new metadata');
    await eventually(() => seen.some((s) => s[0] === 'attributes' && s[2].includes('host')), 5000, 'alice sees bob\'s new attributes');
    const listed = await api.listParticipants('admin');
    assert.deepEqual(listed.map((p) => p.identity).sort(), ['alice', 'bob']);
    assert.equal((await api.getParticipant('admin', 'bob')).metadata, 'promoted');

    await api.removeParticipant('admin', 'bob');
    await eventually(() => b.events.some((e) => e.startsWith('disconnected')), 5000, 'bob is disconnected');
    assert.ok(b.events.includes('disconnected:4'), `bob told PARTICIPANT_REMOVED (${b.events})`);
    await eventually(() => a.left.some((l) => l.identity === 'bob'), 5000, 'alice sees bob leave');

    await api.deleteRoom('admin');
    await eventually(() => a.events.some((e) => e.startsWith('disconnected')), 5000, 'alice is disconnected');
    assert.ok(a.events.includes('disconnected:5'), `alice told ROOM_DELETED (${a.events})`);
  });

  test('server PerformRpc reaches a participant and returns its answer or its error', async () => {
    const callee = await joinTracked(server.wsUrl, 'server-rpc', 'callee');
    callee.room.localParticipant.registerRpcMethod('double', async (data) => String(Number(data.payload) * 2));
    callee.room.localParticipant.registerRpcMethod('fail', async () => { throw new Error('nope'); });
    const at = new AccessToken(KEY, SECRET, { ttl: '5m' });
    at.addGrant({ roomAdmin: true, room: 'server-rpc' });
    const auth = `Bearer ${await at.toJwt()}`;
    const call = async (body) => {
      const res = await fetch(`${server.url}/twirp/livekit.RoomService/PerformRpc`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: auth }, body: JSON.stringify({ room: 'server-rpc', ...body }),
      });
      return { status: res.status, json: await res.json() };
    };
    const ok = await call({ destinationIdentity: 'callee', method: 'double', payload: '21', responseTimeoutMs: 5000 });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.payload, '42');
    const failed = await call({ destinationIdentity: 'callee', method: 'fail', payload: '' });
    assert.equal(failed.json.code, 'aborted');
    const unknown = await call({ destinationIdentity: 'callee', method: 'no-such-method', payload: '' });
    assert.equal(unknown.json.code, 'aborted');
    const nobody = await call({ destinationIdentity: 'ghost', method: 'double', payload: '1' });
    assert.equal(nobody.json.code, 'not_found');
  });

  test('a data-only token can chat but may not publish a track', async () => {
    const dataOnly = await joinTracked(server.wsUrl, 'perm', 'talker', { canPublish: false, canPublishData: true, canSubscribe: true });
    const listener = await joinTracked(server.wsUrl, 'perm', 'listener');
    await eventually(() => dataOnly.room.remoteParticipants.size === 1, 5000, 'sees listener');
    await dataOnly.room.localParticipant.publishData(enc.encode('chat'), { reliable: true });
    await eventually(() => listener.data.length === 1, 5000, 'chat delivered');
    const source = new AudioSource(48000, 1);
    const track = LocalAudioTrack.createAudioTrack('mic', source);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    await assert.rejects(dataOnly.room.localParticipant.publishTrack(track, options), 'publishing is refused');
    await source.close?.();
  });

  test('a token without canPublishData gets nothing delivered', async () => {
    const muted = await joinTracked(server.wsUrl, 'nodata', 'mute', { canPublishData: false });
    const listener = await joinTracked(server.wsUrl, 'nodata', 'ear');
    await eventually(() => muted.room.remoteParticipants.size === 1, 5000, 'sees listener');
    await muted.room.localParticipant.publishData(enc.encode('nope'), { reliable: true }).catch(() => {});
    // a message from a permitted participant afterwards proves the path works and nothing else arrived
    await listener.room.localParticipant.publishData(enc.encode('ping'), { reliable: true });
    await eventually(() => muted.data.length === 1, 5000, 'the permitted message arrives');
    const api = new RoomServiceClient(server.url, KEY, SECRET);
    await api.sendData('nodata', enc.encode('marker'), DataPacket_Kind.RELIABLE, { destinationIdentities: ['ear'] });
    await eventually(() => listener.data.length === 1, 5000, 'marker delivered');
    assert.equal(listener.data[0].payload.toString(), 'marker', 'nothing from the unpermitted sender');
  });

  test('resume after the signal connection drops loses and duplicates nothing', async () => {
    const a = await joinTracked(server.wsUrl, 'resume', 'alice');
    const b = await joinTracked(server.wsUrl, 'resume', 'bob');
    await eventually(() => a.room.remoteParticipants.size === 1, 5000, 'alice sees bob');
    const sidBefore = a.room.localParticipant.sid;
    for (let i = 0; i < 100; i++) {
      await a.room.localParticipant.publishData(enc.encode(`r${i}`), { reliable: true });
      if (i === 40) await a.room.simulateScenario(0); // SIMULATE_SIGNAL_RECONNECT: drop the signal socket
    }
    await eventually(() => b.data.length >= 100, 20_000, 'bob got all 100');
    await new Promise((res) => setTimeout(res, 300)).then(() => {});
    const texts = b.data.map((d) => d.payload.toString());
    assert.deepEqual(texts, Array.from({ length: 100 }, (_, i) => `r${i}`));
    assert.equal(a.room.localParticipant.sid, sidBefore, 'same participant after the resume');
    const api = new RoomServiceClient(server.url, KEY, SECRET);
    const people = await api.listParticipants('resume');
    assert.deepEqual(people.map((p) => p.identity).sort(), ['alice', 'bob']);
  });

  test('webhooks for the whole lifecycle validate with WebhookReceiver', async () => {
    const a = await joinTracked(server.wsUrl, 'lifecycle', 'alice');
    await eventually(async () => {
      const api = new RoomServiceClient(server.url, KEY, SECRET);
      return (await api.listParticipants('lifecycle')).some((p) => p.state === 2);
    }, 5000, 'alice active');
    await a.room.disconnect();
    const receiver = new WebhookReceiver(KEY, SECRET);
    const events = await eventually(async () => {
      const mine = [];
      for (const r of sink.received) {
        const e = await receiver.receive(r.body, r.auth);
        if (e.room?.name === 'lifecycle') mine.push(e);
      }
      return mine.some((e) => e.event === 'room_finished') ? mine : null;
    }, 10_000, 'room_finished for lifecycle');
    assert.deepEqual(events.map((e) => e.event), ['room_started', 'participant_joined', 'participant_left', 'room_finished']);
    assert.equal(events[1].participant.identity, 'alice');
    assert.equal(events[2].participant.identity, 'alice');
  });
});
