// Garbage on the media ports (random, truncated and mutated STUN/DTLS/SRTP/SCTP-looking datagrams, and junk
// ICE-TCP connections) must neither crash the server nor disturb a connected session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { createHmac, randomBytes } from 'node:crypto';
import { dispose } from '@livekit/rtc-node';
import { eventually, startServer, testHost } from '../lib/server.mjs';
import { join } from '../lib/rtc.mjs';

let server;
const rooms = [];

before(async () => {
  server = await startServer();
});

after(async () => {
  for (const room of rooms) await room.disconnect().catch(() => {});
  await dispose();
  const exit = await server?.stop();
  assert.equal(exit?.code, 0, 'server still shuts down cleanly');
});

// a deterministic generator so a failure can be replayed
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function stunBinding(rand, { ufrag = 'zzzz:yyyy', withIntegrity = true } = {}) {
  const attrs = [];
  const user = Buffer.from(ufrag);
  const pad = (b) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  attrs.push(Buffer.concat([Buffer.from([0x00, 0x06, 0, user.length]), pad(user)]));
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt32BE(0x2112a442, 4);
  randomBytes(12).copy(header, 8);
  let body = Buffer.concat(attrs);
  if (withIntegrity) {
    header.writeUInt16BE(body.length + 24, 2);
    const mac = createHmac('sha1', 'wrong-password').update(Buffer.concat([header, body])).digest();
    body = Buffer.concat([body, Buffer.from([0x00, 0x08, 0, 20]), mac]);
  }
  header.writeUInt16BE(body.length, 2);
  const msg = Buffer.concat([header, body]);
  if (rand() < 0.3) msg[Math.floor(rand() * msg.length)] ^= 1 << Math.floor(rand() * 8);
  return rand() < 0.2 ? msg.subarray(0, Math.floor(rand() * msg.length)) : msg;
}

function datagram(rand) {
  const kind = Math.floor(rand() * 6);
  const len = 1 + Math.floor(rand() * 1400);
  const b = randomBytes(len);
  switch (kind) {
    case 0: return stunBinding(rand);
    case 1: b[0] = 20 + Math.floor(rand() * 44); if (len > 2) { b[1] = 0xfe; b[2] = 0xfd; } return b; // DTLS-looking
    case 2: b[0] = 0x80 | Math.floor(rand() * 64); return b; // RTP/RTCP-looking
    case 3: b[0] = Math.floor(rand() * 4); return b; // STUN-looking garbage
    case 4: return b.subarray(0, Math.floor(rand() * 20) + 1); // tiny
    default: return b;
  }
}

test('fuzzed datagrams and junk TCP leave a live session working', async () => {
  const a = await join(server.wsUrl, 'fuzz', 'alice');
  const b = await join(server.wsUrl, 'fuzz', 'bob');
  rooms.push(a.room, b.room);
  await eventually(() => a.room.remoteParticipants.size === 1, 5000, 'alice sees bob');

  const rand = rng(20261121);
  const sockets = await Promise.all(Array.from({ length: 4 }, () => new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, testHost, () => resolve(s));
  })));
  const enc = new TextEncoder();
  let sent = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 100; i++) {
      const s = sockets[Math.floor(rand() * sockets.length)];
      s.send(datagram(rand), server.udpPort, testHost);
      sent++;
    }
    await a.room.localParticipant.publishData(enc.encode(`during ${round}`), { reliable: true });
    await new Promise((r) => setImmediate(r));
  }
  for (const s of sockets) s.close();

  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => {
      const c = net.connect(server.tcpPort, testHost, () => {
        const junk = i % 2 ? randomBytes(2000) : Buffer.concat([Buffer.from([0xff, 0xff]), randomBytes(100)]);
        c.end(junk);
      });
      c.on('error', resolve);
      c.on('close', resolve);
      c.setTimeout(2000, () => c.destroy());
    });
  }

  await eventually(() => b.data.length === 40, 10_000, 'all 40 messages sent during the fuzzing arrived');
  assert.deepEqual(b.data.map((d) => d.payload.toString()), Array.from({ length: 40 }, (_, i) => `during ${i}`));
  assert.equal(sent, 4000);
  assert.equal(await (await fetch(server.url + '/')).text(), 'OK');
  const c = await join(server.wsUrl, 'fuzz', 'carol');
  rooms.push(c.room);
  await eventually(() => a.room.remoteParticipants.size === 2, 5000, 'a new participant can still join');
  assert.equal(server.exited(), null, 'server still running');
});
