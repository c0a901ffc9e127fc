// Agent dispatch latency: a burst of rooms created with RoomService.CreateRoom while fake workers (fake-worker.mjs,
// the /agent protocol spoken directly) are connected; per room, the time from sending CreateRoom to the worker
// receiving `availability`, to it receiving `assignment`, and to the agent having joined.
//
// "Agent joined" is measured with a signal-only join: on assignment the fake worker opens the v0 signal WebSocket
// (/rtc?access_token=<assignment token>) and the join counts when the JoinResponse arrives, i.e. the server has
// validated the agent token and admitted the participant into the room. No ICE/DTLS is done: that part is the
// same for any participant and is measured by bench/join (rtc-node, p50 46 ms), and leaving it out lets one
// process drive 200 agents on a 2-core machine without the media stack skewing the dispatch numbers.
//
// Usage (repo root, after `npm ci` in bench/agents): node bench/agents/dispatch.mjs [--rooms 200] [--workers 4] [--warmup 20]
// Runs on loopback (no WebRTC), so it needs no netns-run.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { RoomServiceClient } from 'livekit-server-sdk';
import { SignalRequest, SignalResponse } from '@livekit/protocol';
import WebSocket from 'ws';
import { startServer } from '../../tests/interop/lib/server.mjs';
import { connectFakeWorker } from './fake-worker.mjs';

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '200' },
    workers: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '20' },
    url: { type: 'string' }, // an already running server (ws://...); default: start ./starling serve --dev
    timeout: { type: 'string', default: '30000' },
  },
});
const ROOMS = Number(args.rooms);
const WORKERS = Number(args.workers);
const WARMUP = Number(args.warmup);
const TIMEOUT_MS = Number(args.timeout);

const server = args.url ? null : await startServer({ bindHost: '127.0.0.1', nodeIp: '127.0.0.1', configYaml: 'logging:\n  level: info\n' });
const wsUrl = args.url ?? server.wsUrl;
const httpUrl = wsUrl.replace(/^ws/, 'http');
const rooms = new RoomServiceClient(httpUrl, 'devkey', 'secret');
const signals = [];

/** Opens a signal-only v0 join with `token`; resolves with the time the JoinResponse arrived. */
function signalJoin(url, token) {
  return new Promise((resolve, reject) => {
    const q = new URLSearchParams({ access_token: token, auto_subscribe: '0', sdk: 'js', version: '2.23.0', protocol: '16' });
    const ws = new WebSocket(`${url.replace(/\/$/, '')}/rtc?${q}`, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    signals.push(ws);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`signal join refused: HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const msg = SignalResponse.fromBinary(data);
      if (msg.message.case === 'join') resolve({ at: performance.now(), join: msg.message.value });
      else if (msg.message.case === 'leave') reject(new Error(`signal join answered with leave (reason ${msg.message.value.reason})`));
    });
  });
}

const joins = new Map(); // job id -> Promise<{ at }>
const workers = [];
for (let i = 0; i < WORKERS; i++) {
  workers.push(await connectFakeWorker(wsUrl, {
    onAssignment: (entry) => {
      const p = signalJoin(entry.url || wsUrl, entry.token).then((r) => { entry.joinedAt = r.at; entry.joinedAs = r.join.participant?.identity; entry.kind = r.join.participant?.kind; });
      p.catch((err) => { entry.joinError = err.message; });
      joins.set(entry.job.id, p);
    },
  }));
}

async function burst(prefix, n) {
  const created = new Map();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const name = `${prefix}-${i}`;
    const sentAt = performance.now();
    await rooms.createRoom({ name });
    created.set(name, { sentAt, doneAt: performance.now() });
  }));
  const jobsFor = () => workers.flatMap((w) => [...w.jobs.values()].map((j) => ({ ...j, worker: w.id, entry: j }))).filter((j) => created.has(j.room));
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    const jobs = jobsFor();
    if (jobs.length >= n && jobs.every((j) => j.entry.joinedAt || j.entry.joinError)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const jobs = jobsFor();
  return { created, jobs };
}

function stats(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, min: s[0], p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) };
}
const fmt = (o) => (o.n ? `n=${o.n} min=${o.min.toFixed(1)} p50=${o.p50.toFixed(1)} p95=${o.p95.toFixed(1)} p99=${o.p99.toFixed(1)} max=${o.max.toFixed(1)} ms` : 'n=0');

if (WARMUP > 0) await burst('warmup', WARMUP);
const { created, jobs } = await burst('burst', ROOMS);
await Promise.allSettled(jobs.map((j) => joins.get(j.job.id)));

const perRoom = new Map();
for (const j of jobs) if (!perRoom.has(j.room)) perRoom.set(j.room, j.entry);
const rows = [...created].map(([name, c]) => ({ name, ...c, job: perRoom.get(name) }));
const toAvailability = rows.map((r) => r.job?.availabilityAt - r.sentAt);
const toAssignment = rows.map((r) => r.job?.assignmentAt - r.sentAt);
const toJoined = rows.map((r) => r.job?.joinedAt - r.sentAt);
const createRtt = rows.map((r) => r.doneAt - r.sentAt);
const availToAssign = rows.map((r) => r.job?.assignmentAt - r.job?.availabilityAt);
const perWorker = workers.map((w) => [...w.jobs.values()].filter((j) => created.has(j.room)).length);
const duplicateJobs = jobs.length - perRoom.size;
const joinErrors = jobs.filter((j) => j.entry.joinError).map((j) => j.entry.joinError);
const wrongIdentity = jobs.filter((j) => j.entry.joinedAt && j.entry.joinedAs !== j.entry.identity).length;

console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`rooms=${ROOMS} (burst, after ${WARMUP} warm-up rooms) workers=${WORKERS}: ${perRoom.size} rooms got a job, ${rows.filter((r) => r.job?.joinedAt).length} agents joined; ` +
  `jobs per worker ${perWorker.join('/')}; duplicate jobs ${duplicateJobs}; join errors ${joinErrors.length}${joinErrors.length ? ` (${[...new Set(joinErrors)].slice(0, 3).join('; ')})` : ''}; wrong identity ${wrongIdentity}`);
console.log(`CreateRoom round trip:              ${fmt(stats(createRtt))}`);
console.log(`CreateRoom sent -> availability:    ${fmt(stats(toAvailability))}`);
console.log(`CreateRoom sent -> assignment:      ${fmt(stats(toAssignment))}`);
console.log(`availability -> assignment:         ${fmt(stats(availToAssign))}`);
console.log(`CreateRoom sent -> agent joined:    ${fmt(stats(toJoined))}`);
for (const w of workers) if (w.unexpected.length) console.log(`worker ${w.id}: unexpected ${w.unexpected.slice(0, 5).join('; ')}`);

for (const ws of signals) {
  try { ws.send(new SignalRequest({ message: { case: 'leave', value: {} } }).toBinary()); ws.close(); } catch { /* closed */ }
}
await Promise.all(workers.map((w) => w.close()));
await server?.stop();
process.exit(perRoom.size === ROOMS && rows.every((r) => r.job?.joinedAt) ? 0 : 1);
