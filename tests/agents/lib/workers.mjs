// Runs official @livekit/agents workers (lib/agent.mjs via cli.runApp `start`) as separate node processes for a
// test, and reads back what their jobs reported.
//
// `start` is the subcommand that works here: it needs no TTY, downloads nothing (the local EOT model ships inside
// @livekit/local-inference), logs JSON lines, and prewarms job processes. `dev` works too but is deprecated and
// logs through pino-pretty. Each worker gets its own process group so a SIGKILL takes its job processes with it,
// as a crashed machine would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from '../../interop/lib/server.mjs';

const agentFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'agent.mjs');

// Detached process groups outlive a test runner that dies; take them down with it.
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }
});

/** A directory the jobs write their reports into, and a reader for it. */
export function reportDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-agent-reports-'));
  return {
    dir,
    /** Every report written so far, oldest first: { event, jobId, dispatchId, agentName, room, metadata, pid, workerPid, ... }. */
    all() {
      return fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
        .sort((a, b) => a.at - b.at);
    },
    find(predicate) {
      return this.all().filter(predicate);
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts `node lib/agent.mjs start` against `wsUrl` and waits until the server answered its registration.
 * Returns { name, pid, workerId, output(), exited(), kill(signal), stop() }.
 */
export async function startWorker(wsUrl, { agentName = '', reports, label = agentName || 'auto', registerTimeoutMs = 45_000 } = {}) {
  const httpPort = await freePort();
  const child = spawn(process.execPath, [agentFile, 'start', '--log-level', 'debug'], {
    cwd: path.dirname(agentFile),
    env: {
      ...process.env,
      LIVEKIT_URL: wsUrl,
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret',
      AGENT_NAME: agentName,
      AGENT_HTTP_PORT: String(httpPort),
      STARLING_AGENT_REPORTS: reports.dir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: kill(-pid) reaches the job processes too
  });
  let out = '';
  const lines = [];
  let partial = '';
  const onData = (d) => {
    out += d;
    partial += d;
    const parts = partial.split('\n');
    partial = parts.pop();
    for (const l of parts) {
      if (!l.startsWith('{')) continue;
      try { lines.push(JSON.parse(l)); } catch { /* not a log line */ }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  running.add(child.pid);
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child.pid);
  });

  const worker = {
    label,
    agentName,
    pid: child.pid,
    workerId: null,
    output: () => out,
    logs: () => lines,
    exited: () => exited,
    /** Signals the whole process group (the worker, its job processes and its inference process). */
    kill(signal = 'SIGKILL') {
      if (exited) return;
      try { process.kill(-child.pid, signal); } catch { /* already gone */ }
    },
    async stop() {
      worker.kill('SIGKILL');
      await eventually(() => exited, 10_000, `worker ${label} exit`);
    },
  };
  try {
    const registered = await eventually(() => exited || lines.find((l) => l.msg === 'registered worker'),
      registerTimeoutMs, `worker ${label} registered (last log: ${lines.at(-1)?.msg ?? 'none'})`, 50);
    if (exited) throw new Error(`worker ${label} exited (${JSON.stringify(exited)}) before registering:\n${out.slice(-3000)}`);
    worker.workerId = registered.id;
  } catch (err) {
    await worker.stop().catch(() => {});
    throw err;
  }
  return worker;
}
