// Join latency benchmark: N sequential @livekit/rtc-node joins against `./starling serve`, inside netns-run.
// The server measures each join from the signal WebSocket being accepted to the reliable data channel being
// open (it logs "join took X ms"); the client side measures room.connect() wall time for comparison.
// Usage (from the repo root): ../shared/tools/netns-run -- env STARLING_TEST_HOST=10.77.0.1 node bench/join/join-bench.mjs [N]
import os from 'node:os';
import { Room, dispose } from '@livekit/rtc-node';
import { startServer } from '../../tests/interop/lib/server.mjs';
import { token } from '../../tests/interop/lib/rtc.mjs';

const n = Number(process.argv[2] ?? 30);
const server = await startServer({ configYaml: 'logging:\n  level: info\n' });
const client = [];
for (let i = 0; i < n; i++) {
  const room = new Room();
  const started = performance.now();
  await room.connect(server.wsUrl, await token(`p${i}`, 'bench'), { autoSubscribe: false });
  client.push(performance.now() - started);
  await room.disconnect();
}
await dispose();
await server.stop();
const serverMs = [...server.output().matchAll(/join took ([0-9.]+) ms/g)].map((m) => Number(m[1]));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, min: s[0], p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
};
const fmt = (o) => `n=${o.n} min=${o.min.toFixed(1)} p50=${o.p50.toFixed(1)} p95=${o.p95.toFixed(1)} max=${o.max.toFixed(1)} ms`;
// the first join pays for the client's native library start-up: report warm joins separately
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`server-measured join (WebSocket accepted -> _reliable open), warm: ${fmt(stats(serverMs.slice(1)))}`);
console.log(`server-measured join, first (cold client): ${serverMs[0]?.toFixed(1)} ms`);
console.log(`client room.connect() wall time, warm: ${fmt(stats(client.slice(1)))}`);
process.exit(0);
