// The official livekit-server-sdk (npm) driving Starling's RoomService and AgentDispatchService.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AccessToken,
  AgentDispatchClient,
  DataPacket_Kind,
  RoomServiceClient,
  TokenVerifier,
  WebhookReceiver,
} from 'livekit-server-sdk';
import { eventually, runStarling, startServer } from './lib/server.mjs';
import { startWebhookSink } from './lib/webhook-sink.mjs';

const KEY = 'devkey';
const SECRET = 'secret';

async function rejects(promise, code, status) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `expected Twirp code ${code}, got ${err.code}: ${err.message}`);
    if (status) assert.equal(err.status, status);
    return true;
  });
}

function b64url(input) {
  return Buffer.from(input).toString('base64url');
}

function forgeJwt(header, payload, secret = SECRET) {
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = secret === null ? '' : createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${sig}`;
}

async function twirp(url, method, body, { token, contentType = 'application/json', service = 'livekit.RoomService', httpMethod = 'POST' } = {}) {
  const headers = { 'Content-Type': contentType };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/twirp/${service}/${method}`, { method: httpMethod, headers, body: httpMethod === 'POST' ? body : undefined });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, json: (() => { try { return JSON.parse(text); } catch { return null; } })() };
}

async function adminToken(grant = { roomCreate: true, roomList: true, roomAdmin: true, room: 'r1' }) {
  const at = new AccessToken(KEY, SECRET, { ttl: '10m' });
  at.addGrant(grant);
  return at.toJwt();
}

describe('RoomService via livekit-server-sdk', () => {
  let server;
  let rooms;
  let sink;

  before(async () => {
    sink = await startWebhookSink();
    server = await startServer({ configYaml: `webhook:\n  api_key: ${KEY}\n  urls:\n    - ${sink.url}\n` });
    rooms = new RoomServiceClient(server.url, KEY, SECRET);
  });

  after(async () => {
    const exit = await server?.stop();
    await sink?.close();
    assert.equal(exit?.code, 0, 'graceful shutdown on SIGTERM exits 0');
  });

  test('every room method works', async () => {
    const room = await rooms.createRoom({ name: 'r1', emptyTimeout: 60, departureTimeout: 5, maxParticipants: 5, metadata: 'first' });
    assert.match(room.sid, /^RM_/);
    assert.equal(room.name, 'r1');
    assert.equal(room.emptyTimeout, 60);
    assert.equal(room.departureTimeout, 5);
    assert.equal(room.maxParticipants, 5);
    assert.equal(room.metadata, 'first');
    assert.ok(room.creationTime > 0n);
    assert.ok(room.creationTimeMs >= room.creationTime * 1000n);

    const again = await rooms.createRoom({ name: 'r1' });
    assert.equal(again.sid, room.sid, 'CreateRoom on an existing room returns it');

    assert.ok((await rooms.listRooms()).some((r) => r.name === 'r1'));
    assert.deepEqual((await rooms.listRooms(['r1'])).map((r) => r.sid), [room.sid]);
    assert.equal((await rooms.listRooms(['nope'])).length, 0);

    const updated = await rooms.updateRoomMetadata('r1', 'second');
    assert.equal(updated.metadata, 'second');
    assert.equal((await rooms.listRooms(['r1']))[0].metadata, 'second');

    assert.deepEqual(await rooms.listParticipants('r1'), []);
    await rejects(rooms.getParticipant('r1', 'ghost'), 'not_found', 404);
    await rejects(rooms.removeParticipant('r1', 'ghost'), 'not_found', 404);
    await rejects(rooms.mutePublishedTrack('r1', 'ghost', 'TR_x', true), 'not_found', 404);
    await rejects(rooms.updateParticipant('r1', 'ghost', { metadata: 'm', name: 'n', attributes: { a: 'b' } }), 'not_found', 404);
    await rejects(rooms.updateSubscriptions('r1', 'ghost', ['TR_x'], true), 'not_found', 404);
    await rooms.sendData('r1', new Uint8Array([1, 2, 3]), DataPacket_Kind.RELIABLE, { topic: 't', destinationIdentities: ['someone'] });
    await rooms.sendData('r1', new Uint8Array([4]), DataPacket_Kind.LOSSY, {});
    await rejects(rooms.forwardParticipant('r1', 'ghost', 'r2'), 'unimplemented', 501);
    await rejects(rooms.moveParticipant('r1', 'ghost', 'r2'), 'unimplemented', 501);

    await rooms.deleteRoom('r1');
    assert.equal((await rooms.listRooms(['r1'])).length, 0);
    await rejects(rooms.deleteRoom('r1'), 'not_found', 404);
    await rejects(rooms.listParticipants('r1'), 'not_found', 404);
  });

  test('agent dispatch methods work', async () => {
    const dispatches = new AgentDispatchClient(server.url, KEY, SECRET);
    const created = await dispatches.createDispatch('r-agents', 'agent-a', { metadata: '{"job":1}' });
    assert.match(created.id, /^AD_/);
    assert.equal(created.agentName, 'agent-a');
    assert.equal(created.room, 'r-agents');
    assert.equal(created.metadata, '{"job":1}');
    // the room is auto-created like livekit-server does it (a plain CreateRoom), so it also has the default
    // automatic dispatch (empty agent name) next to ours
    const listed = await dispatches.listDispatch('r-agents');
    assert.deepEqual(listed.map((d) => d.agentName).sort(), ['', 'agent-a']);
    assert.ok(listed.some((d) => d.id === created.id));
    assert.equal((await dispatches.getDispatch(created.id, 'r-agents'))?.id, created.id);
    await dispatches.deleteDispatch(created.id, 'r-agents');
    assert.deepEqual((await dispatches.listDispatch('r-agents')).map((d) => d.agentName), ['']);
    await rooms.deleteRoom('r-agents');
  });

  test('webhooks for the room lifecycle validate with WebhookReceiver, in order', async () => {
    await rooms.createRoom({ name: 'hooked' });
    await rooms.deleteRoom('hooked');
    const receiver = new WebhookReceiver(KEY, SECRET);
    const events = await eventually(async () => {
      const mine = [];
      for (const r of sink.received) {
        const event = await receiver.receive(r.body, r.auth);
        if (event.room?.name === 'hooked') mine.push({ event, raw: r });
      }
      return mine.length >= 2 ? mine : null;
    }, 10_000, 'room_started and room_finished for room "hooked"');
    assert.deepEqual(events.map((e) => e.event.event), ['room_started', 'room_finished']);
    for (const { event, raw } of events) {
      assert.match(event.id, /^EV_/);
      assert.ok(event.createdAt > 0n);
      assert.equal(raw.contentType, 'application/webhook+json');
      assert.doesNotMatch(raw.auth, /^Bearer /);
    }
    assert.equal(events[1].event.room.sid, events[0].event.room.sid);
  });

  test('a room nobody joins closes after empty_timeout', async () => {
    await rooms.createRoom({ name: 'short', emptyTimeout: 1 });
    await eventually(async () => (await rooms.listRooms(['short'])).length === 0, 10_000, 'room "short" closed by its empty timeout');
    const receiver = new WebhookReceiver(KEY, SECRET);
    await eventually(async () => {
      for (const r of sink.received) {
        const e = await receiver.receive(r.body, r.auth);
        if (e.room?.name === 'short' && e.event === 'room_finished') return true;
      }
      return false;
    }, 10_000, 'room_finished for "short"');
  });

  test('tokens: the SDK\'s are accepted; bad ones are unauthenticated; missing grants are permission_denied', async () => {
    const now = Math.floor(Date.now() / 1000);
    const grant = { video: { roomCreate: true, roomList: true } };
    const cases = [
      ['wrong secret', forgeJwt({ alg: 'HS256', typ: 'JWT' }, { iss: KEY, exp: now + 600, nbf: now, ...grant }, 'not-the-secret')],
      ['unknown key', forgeJwt({ alg: 'HS256', typ: 'JWT' }, { iss: 'otherkey', exp: now + 600, nbf: now, ...grant })],
      ['expired', forgeJwt({ alg: 'HS256', typ: 'JWT' }, { iss: KEY, exp: now - 3600, nbf: now - 7200, ...grant })],
      ['alg none', forgeJwt({ alg: 'none', typ: 'JWT' }, { iss: KEY, exp: now + 600, nbf: now, ...grant }, null)],
      ['garbage', 'not.a.token'],
    ];
    for (const [name, token] of cases) {
      const res = await twirp(server.url, 'ListRooms', '{}', { token });
      assert.equal(res.status, 401, name);
      assert.equal(res.contentType, 'application/json', name);
      assert.equal(res.json?.code, 'unauthenticated', name);
      assert.ok(res.json?.msg, name);
    }
    const missing = await twirp(server.url, 'ListRooms', '{}');
    assert.equal(missing.json?.code, 'unauthenticated');

    const joinOnly = new AccessToken(KEY, SECRET, { identity: 'alice' });
    joinOnly.addGrant({ roomJoin: true, room: 'r1' });
    const denied = await twirp(server.url, 'CreateRoom', '{"name":"r1"}', { token: await joinOnly.toJwt() });
    assert.equal(denied.status, 403);
    assert.equal(denied.contentType, 'application/json');
    assert.equal(denied.json?.code, 'permission_denied');

    const wrongRoom = await twirp(server.url, 'ListParticipants', '{"room":"other"}', { token: await adminToken() });
    assert.equal(wrongRoom.json?.code, 'permission_denied');

    const ok = await twirp(server.url, 'ListRooms', '{}', { token: await adminToken() });
    assert.equal(ok.status, 200);
    assert.equal(ok.contentType, 'application/json');
  });

  test('malformed requests get the right 4xx Twirp error and the server keeps serving', async () => {
    const token = await adminToken({ roomCreate: true, roomList: true });
    const cases = [
      ['malformed JSON', await twirp(server.url, 'CreateRoom', '{"name":', { token }), 400, 'malformed'],
      ['JSON of the wrong shape', await twirp(server.url, 'CreateRoom', '{"name":{"x":1}}', { token }), 400, 'malformed'],
      ['malformed protobuf', await twirp(server.url, 'CreateRoom', new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), { token, contentType: 'application/protobuf' }), 400, 'malformed'],
      ['unknown method', await twirp(server.url, 'NoSuchMethod', '{}', { token }), 404, 'bad_route'],
      ['unknown service', await twirp(server.url, 'CreateRoom', '{}', { token, service: 'livekit.Nope' }), 404, 'bad_route'],
      ['GET', await twirp(server.url, 'ListRooms', null, { token, httpMethod: 'GET' }), 404, 'bad_route'],
      ['wrong content type', await twirp(server.url, 'ListRooms', '{}', { token, contentType: 'text/plain' }), 404, 'bad_route'],
      ['empty room name', await twirp(server.url, 'CreateRoom', '{"name":""}', { token }), 400, 'invalid_argument'],
      ['over-long room name', await twirp(server.url, 'CreateRoom', JSON.stringify({ name: 'x'.repeat(300) }), { token }), 400, 'invalid_argument'],
      ['20 MiB body', await twirp(server.url, 'CreateRoom', JSON.stringify({ name: 'big', metadata: 'x'.repeat(20 * 1024 * 1024) }), { token }), 400, 'malformed'],
    ];
    for (const [name, res, status, code] of cases) {
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.equal(res.contentType, 'application/json', name);
      assert.equal(res.json?.code, code, name);
      assert.ok(res.json?.msg, name);
    }
    const admin = await adminToken({ roomAdmin: true, room: 'r1' });
    const longIdentity = await twirp(server.url, 'GetParticipant', JSON.stringify({ room: 'r1', identity: 'y'.repeat(300) }), { token: admin });
    assert.equal(longIdentity.json?.code, 'invalid_argument');
    const badNonce = await twirp(server.url, 'SendData', JSON.stringify({ room: 'r1', data: 'AQID', nonce: 'AQID' }), { token: admin });
    assert.ok(['invalid_argument', 'not_found'].includes(badNonce.json?.code));

    const health = await fetch(server.url + '/');
    assert.equal(await health.text(), 'OK');
    const room = await rooms.createRoom({ name: 'still-alive' });
    assert.match(room.sid, /^RM_/);
    await rooms.deleteRoom('still-alive');
  });

  test('snake_case JSON and protobuf bodies are accepted', async () => {
    const token = await adminToken({ roomCreate: true, roomList: true });
    const snake = await twirp(server.url, 'CreateRoom', '{"name":"snake","empty_timeout":42,"max_participants":3}', { token });
    assert.equal(snake.status, 200);
    assert.equal(snake.json.empty_timeout, 42);
    assert.equal(snake.json.max_participants, 3);
    // CreateRoomRequest{name: "pb"} as protobuf: field 1, length 2
    const res = await fetch(`${server.url}/twirp/livekit.RoomService/CreateRoom`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/protobuf', Authorization: `Bearer ${token}` },
      body: new Uint8Array([0x0a, 0x02, 0x70, 0x62]),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/protobuf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.ok(Buffer.from(bytes).includes(Buffer.from('pb')));
    await rooms.deleteRoom('snake');
    await rooms.deleteRoom('pb');
  });
});

describe('starling CLI', () => {
  test('tokens from `starling token create` pass the SDK TokenVerifier', async () => {
    const { code, stdout, stderr } = await runStarling([
      'token', 'create', '--api-key', KEY, '--api-secret', SECRET, '--room', 'r1', '--identity', 'alice',
      '--name', 'Alice', '--join', '--can-publish', 'false', '--metadata', 'meta', '--attribute', 'team=blue', '--valid-for', '1h',
    ]);
    assert.equal(code, 0, stderr);
    const token = stdout.trim().split('\n').pop().trim();
    const claims = await new TokenVerifier(KEY, SECRET).verify(token);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.name, 'Alice');
    assert.equal(claims.metadata, 'meta');
    assert.equal(claims.attributes.team, 'blue');
    assert.equal(claims.video.roomJoin, true);
    assert.equal(claims.video.room, 'r1');
    assert.equal(claims.video.canPublish, false);
    assert.ok(claims.exp - claims.nbf <= 3600 + 5);
    await assert.rejects(new TokenVerifier(KEY, 'other-secret').verify(token));
  });

  test('bad configuration prints one clear message and exits 1', async () => {
    const cases = [
      [['serve', '--config-body', 'no_such_key: 1'], /unknown configuration key.*no_such_key/],
      [['serve', '--config-body', 'rtc:\n  udp_port: 99999'], /rtc\.udp_port/],
      [['serve', '--config-body', 'port: abc'], /port/],
      [['serve', '--config-body', 'room:\n  auto_create: maybe'], /room\.auto_create/],
      [['serve', '--config-body', 'keys: [oops'], /not valid YAML/],
      [['serve', '--config', '/nonexistent/livekit.yaml'], /does not exist/],
      [['serve', '--config-body', 'port: 7880'], /no API keys/],
      [['serve', '--dev', '--config-body', 'webhook:\n  urls: [http://127.0.0.1:1/x]\n  api_key: nokey'], /webhook\.api_key/],
    ];
    for (const [args, pattern] of cases) {
      const { code, stdout, stderr } = await runStarling(args, { env: { LIVEKIT_KEYS: '', LIVEKIT_CONFIG: '' } });
      assert.equal(code, 1, `${args.join(' ')}: ${stdout}${stderr}`);
      assert.match(stderr, pattern, args.join(' '));
    }
  });
});
