// Starts a real `./starling serve` process for a test, on free loopback ports, and stops it with SIGTERM.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const starlingBin = path.join(repoRoot, 'starling');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns truthy or `timeoutMs` passes. */
export async function eventually(check, timeoutMs, reason, intervalMs = 25) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms: ${reason}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Runs the CLI to completion and returns { code, stdout, stderr }. */
export function runStarling(args, { env = {}, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(starlingBin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The address the server under test listens on and advertises. Inside `netns-run` (where real WebRTC
 * clients run) that is the namespace's 10.77.0.1; otherwise loopback.
 */
export const testHost = process.env.STARLING_TEST_HOST || '127.0.0.1';

/**
 * Starts `./starling serve --dev` with `rtcYaml` (extra keys of the rtc section) and `configYaml` merged in.
 * Returns { url, wsUrl, port, stop(), output() }.
 */
export async function startServer(options = {}) {
  // Free ports are picked by probing, so another process (often a WebRTC client's ephemeral UDP socket)
  // can take one before the server binds it. The server then exits with "cannot bind"; pick new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(options);
    } catch (err) {
      if (attempt >= 5 || !(err instanceof PortInUseError)) throw err;
    }
  }
}

class PortInUseError extends Error {}

/** A UDP port that is free on `host` and whose TCP twin is free too. */
async function freeUdpAndTcpPort(host) {
  for (;;) {
    const port = await freePort();
    const ok = await new Promise((resolve) => {
      const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, host, () => sock.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

async function startServerOnce({ configYaml = '', rtcYaml = '', extraArgs = [], bindHost = testHost, nodeIp = testHost, metrics = false } = {}) {
  const port = await freePort();
  const udpPort = await freeUdpAndTcpPort(bindHost);
  const tcpPort = await freePort();
  const metricsPort = metrics ? await freePort() : null;
  const body = `rtc:\n  udp_port: ${udpPort}\n  tcp_port: ${tcpPort}\n${rtcYaml}${metricsPort ? `prometheus_port: ${metricsPort}\n` : ''}${configYaml}`;
  const args = ['serve', '--dev', '--bind', bindHost, '--node-ip', nodeIp, '--port', String(port), '--config-body', body, ...extraArgs];
  const child = spawn(starlingBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const url = `http://${bindHost}:${port}`;
  await eventually(async () => {
    if (exited) return true;
    const res = await fetch(url + '/');
    return res.status === 200 && (await res.text()) === 'OK';
  }, 60_000, 'server health check');
  if (exited) {
    const msg = `server exited early (${JSON.stringify(exited)}): ${out}`;
    throw /address already in use/i.test(out) ? new PortInUseError(msg) : new Error(msg);
  }
  return {
    url,
    wsUrl: url.replace('http', 'ws'),
    port,
    udpPort,
    tcpPort,
    output: () => out,
    /** The Prometheus counters and gauges as { name: value } (start with `metrics: true`). */
    async metrics() {
      const text = await (await fetch(`http://${bindHost}:${metricsPort}/metrics`)).text();
      return Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => { const [k, v] = l.split(' '); return [k, Number(v)]; }));
    },
    exited: () => exited,
    async stop() {
      if (exited) return exited;
      child.kill('SIGTERM');
      await eventually(() => exited, 15_000, 'server exit after SIGTERM');
      return exited;
    },
  };
}
