// Agent dispatch latency: a burst of rooms created with RoomService.CreateRoom while fake workers (fake-worker.mjs,
// the /agent protocol spoken directly, on their own thread: workers-thread.mjs) are connected. Per room: the time
// from sending CreateRoom to the worker receiving `availability`, to it receiving `assignment`, and to the agent
// having joined.
//
// "Agent joined" is a signal-only join: on assignment the fake worker opens the v0 signal WebSocket
// (/rtc?access_token=<assignment token>) and the join counts when the JoinResponse arrives, i.e. the server has
// validated the minted agent token and admitted the participant into the room. No ICE/DTLS: that part is the same
// for every participant and is measured by bench/join with rtc-node (p50 46 ms); leaving it out lets one process
// drive 200 agents on a 2-core machine without the media stack skewing the dispatch numbers. The real-client path
// (an @livekit/agents job joining over WebRTC) is covered by tests/agents.
//
// CreateRoom goes out as plain Twirp JSON with one pre-signed token, so the client's per-request cost is an HTTP
// request, not a JWT signature. The server's own view (its dispatch-latency histogram, job created -> assignment
// sent) is read from /metrics.
//
// Usage (repo root, after `npm ci` in bench/agents): node bench/agents/dispatch.mjs [--rooms 200] [--workers 4]
//   [--warmup <rooms>] [--concurrency 0 (= all at once)] [--no-join] [--url ws://host:port (an already running server)]
// Runs on loopback (no WebRTC), so it needs no netns-run.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { AccessToken } from 'livekit-server-sdk';
import { startServer } from '../../tests/interop/lib/server.mjs';

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '200' },
    workers: { type: 'string', default: '4' },
    warmup: { type: 'string' }, // rooms created first (JIT, keep-alive sockets); default: as many as the burst
    concurrency: { type: 'string', default: '0' },
    url: { type: 'string' },
    timeout: { type: 'string', default: '30000' },
    'no-join': { type: 'boolean', default: false }, // stop at the assignment (isolates the dispatch path's cost)
  },
});
const ROOMS = Number(args.rooms);
const WORKERS = Number(args.workers);
const WARMUP = Number(args.warmup ?? args.rooms);
const CONCURRENCY = Number(args.concurrency) || Infinity;
const TIMEOUT_MS = Number(args.timeout);
const JOIN = !args['no-join'];
const now = () => performance.timeOrigin + performance.now();

const server = args.url ? null : await startServer({ bindHost: '127.0.0.1', nodeIp: '127.0.0.1', metrics: true, configYaml: `logging:\n  level: ${process.env.STARLING_BENCH_LOG_LEVEL ?? 'info'}\n` });
const wsUrl = args.url ?? server.wsUrl;
const httpUrl = wsUrl.replace(/^ws/, 'http');
const at = new AccessToken('devkey', 'secret', { ttl: '1h' });
at.addGrant({ roomCreate: true, roomList: true });
const adminToken = await at.toJwt();

// node:http with keep-alive sockets (opened by the warm-up burst) rather than fetch: undici's fetch costs ~1 ms of
// this thread per request, which delayed the tail of a 200-request burst by as much as the server's whole work.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const target = new URL('/twirp/livekit.RoomService/CreateRoom', httpUrl);

/** Creates room `name` over a pooled keep-alive socket. */
function createRoom(name) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ name });
    const req = http.request(target, {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`CreateRoom ${name}: HTTP ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---- CPU accounting: the server process (found by its --port argument) and this one, user + system seconds
const serverPid = server && fs.readdirSync('/proc').find((d) => {
  if (!/^\d+$/.test(d)) return false;
  try { return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').includes(`serve --dev --bind 127.0.0.1 --node-ip 127.0.0.1 --port ${server.port} `); } catch { return false; }
});
function cpu() {
  const own = process.cpuUsage();
  let srv = NaN;
  if (serverPid) {
    const f = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1].split(' ');
    srv = (Number(f[11]) + Number(f[12])) / 100; // utime + stime in USER_HZ ticks
  }
  return { server: srv, bench: (own.user + own.system) / 1e6 };
}

// ---- the fake workers' thread
const thread = new Worker(new URL('./workers-thread.mjs', import.meta.url), { workerData: { wsUrl, count: WORKERS, join: JOIN } });
const inbox = [];
let wake = null;
thread.on('message', (m) => { inbox.push(m); wake?.(); });
thread.on('error', (err) => { console.error('workers thread failed:', err); process.exit(2); });
async function receive(predicate) {
  for (;;) {
    const i = inbox.findIndex(predicate);
    if (i >= 0) return inbox.splice(i, 1)[0];
    await new Promise((r) => (wake = r));
  }
}
const ready = await receive((m) => m.ready);
async function collect() {
  thread.postMessage('collect');
  return (await receive((m) => m.workers)).workers;
}

async function burst(prefix, n) {
  const created = new Map();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, CONCURRENCY) }, async () => {
    while (next < n) {
      const name = `${prefix}-${next++}`;
      const sentAt = now();
      await createRoom(name);
      created.set(name, { sentAt, doneAt: now() });
    }
  }));
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const workers = await collect();
    const jobs = workers.flatMap((w) => w.jobs.map((j) => ({ ...j, worker: w.id }))).filter((j) => created.has(j.room));
    if ((jobs.length >= n && jobs.every((j) => (JOIN ? j.joinedAt || j.joinError : j.assignmentAt))) || Date.now() > deadline) return { created, jobs, workers };
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stats(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, min: s[0], p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) };
}
const fmt = (o) => (o.n ? `n=${o.n} min=${o.min.toFixed(1)} p50=${o.p50.toFixed(1)} p95=${o.p95.toFixed(1)} p99=${o.p99.toFixed(1)} max=${o.max.toFixed(1)} ms` : 'n=0');

/** The server's dispatch-latency histogram as cumulative { le: count }. */
async function histogram() {
  if (!server) return null;
  const m = await server.metrics().catch(() => null);
  if (!m) return null;
  const buckets = Object.entries(m).filter(([k]) => k.startsWith('starling_agent_dispatch_latency_seconds_bucket'))
    .map(([k, v]) => [k.match(/le="([^"]+)"/)?.[1], v]).filter(([le]) => le);
  return Object.fromEntries(buckets);
}
function histogramDelta(before, after) {
  if (!before || !after) return null;
  return Object.fromEntries(Object.entries(after).map(([le, v]) => [le, v - (before[le] ?? 0)]));
}
/** p-quantile upper bound from cumulative buckets: the smallest `le` holding at least p of the samples. */
function bucketQuantile(h, p) {
  const total = h['+Inf'];
  if (!total) return null;
  const les = Object.keys(h).filter((k) => k !== '+Inf').map(Number).sort((a, b) => a - b);
  for (const le of les) if (h[String(le)] >= p * total) return `≤ ${le * 1000} ms`;
  return '> largest bucket';
}

if (WARMUP > 0) await burst('warmup', WARMUP);
const h0 = await histogram();
const cpu0 = cpu();
const { created, jobs, workers } = await burst('burst', ROOMS);
const cpu1 = cpu();
const h = histogramDelta(h0, await histogram());

const perRoom = new Map();
for (const j of jobs) if (!perRoom.has(j.room)) perRoom.set(j.room, j);
const rows = [...created].map(([name, c]) => ({ name, ...c, job: perRoom.get(name) }));
const perWorker = workers.map((w) => w.jobs.filter((j) => created.has(j.room)).length);
const joinErrors = jobs.filter((j) => j.joinError).map((j) => j.joinError);
const wrongIdentity = jobs.filter((j) => j.joinedAt && j.joinedAs !== j.identity).length;
const notAgentKind = jobs.filter((j) => j.joinedAt && j.joinedKind !== 4).length;
const span = Math.max(...rows.map((r) => (JOIN ? r.job?.joinedAt : r.job?.assignmentAt) ?? 0)) - Math.min(...rows.map((r) => r.sentAt));

console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`rooms=${ROOMS} (${CONCURRENCY === Infinity ? 'all at once' : `${CONCURRENCY} in flight`}, after ${WARMUP} warm-up rooms) workers=${ready.ready.length}: ` +
  `${perRoom.size} rooms got a job, ${rows.filter((r) => r.job?.joinedAt).length} agents joined; jobs per worker ${perWorker.join('/')}; ` +
  `duplicate jobs ${jobs.length - perRoom.size}; join errors ${joinErrors.length}${joinErrors.length ? ` (${[...new Set(joinErrors)].slice(0, 3).join('; ')})` : ''}; ` +
  `joined with another identity ${wrongIdentity}; joined not as AGENT ${notAgentKind}`);
console.log(`CreateRoom round trip:              ${fmt(stats(rows.map((r) => r.doneAt - r.sentAt)))}`);
console.log(`CreateRoom sent -> availability:    ${fmt(stats(rows.map((r) => r.job?.availabilityAt - r.sentAt)))}`);
console.log(`CreateRoom sent -> assignment:      ${fmt(stats(rows.map((r) => r.job?.assignmentAt - r.sentAt)))}`);
console.log(`availability -> assignment:         ${fmt(stats(rows.map((r) => r.job?.assignmentAt - r.job?.availabilityAt)))}`);
console.log(`assignment -> agent joined:         ${fmt(stats(rows.map((r) => r.job?.joinedAt - r.job?.assignmentAt)))}`);
console.log(`CreateRoom sent -> agent joined:    ${fmt(stats(rows.map((r) => r.job?.joinedAt - r.sentAt)))}`);
// The server's own per-job figure: its "agent job started" log line carries job created -> assignment sent in whole ms.
const logged = server ? [...server.output().matchAll(/agent job started: .*?room=(burst-\d+) .*?latency_ms=(\d+)/g)].map((m) => Number(m[2])) : [];
if (logged.length) console.log(`server log (job created -> assignment sent): ${fmt(stats(logged))}`);
if (h) console.log(`server histogram (same span):       n=${h['+Inf']} p50 ${bucketQuantile(h, 0.5)}, p99 ${bucketQuantile(h, 0.99)}`);
console.log(`first CreateRoom sent -> last ${JOIN ? 'agent joined' : 'assignment'}: ${span.toFixed(0)} ms; CPU in the burst: server ${((cpu1.server - cpu0.server) * 1000).toFixed(0)} ms, ` +
  `this process (CreateRoom client, fake workers, signal joins) ${((cpu1.bench - cpu0.bench) * 1000).toFixed(0)} ms`);
for (const w of workers) if (w.unexpected.length) console.log(`worker ${w.id}: unexpected ${w.unexpected.slice(0, 5).join('; ')}`);

thread.postMessage('close');
await receive((m) => m === 'closed');
await thread.terminate();
await server?.stop();
process.exit(perRoom.size === ROOMS && rows.every((r) => (JOIN ? r.job?.joinedAt : r.job?.assignmentAt)) ? 0 : 1);
