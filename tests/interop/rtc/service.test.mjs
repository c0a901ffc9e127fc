// Starling as a managed local service, end to end in a temporary HOME (inside netns-run: an rtc-node client joins).
// Where systemd is not running (as here) `service install` picks Starling's own supervisor, which is what runs:
// install → start → healthy → rtc-node joins with the printed keys → kill -9 the server → restarted and healthy
// → stop → port free → uninstall leaves nothing. Also: `discover` finds the service and a `serve --dev` on 7880, and
// SIGTERM drains a server with a connected client (leave, exit within 10 s, /health 503 meanwhile).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, readdir } from 'node:fs/promises';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Room, RoomEvent, dispose } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { eventually, freePort, runStarling, starlingBin, startServer, testHost } from '../lib/server.mjs';
import { join } from '../lib/rtc.mjs';

/** The process exists and is not a zombie (an orphan nobody reaps still answers kill 0). */
const alive = (pid) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

const portFree = (port) => new Promise((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(false); });
  socket.once('error', () => resolve(true));
});

/** A port P with P+1 and P+2 free too (the service uses them for ICE/TCP and media). */
async function freeServicePort() {
  for (;;) {
    const port = await freePort();
    if (port < 65000 && (await portFree(port + 1)) && (await portFree(port + 2))) return port;
  }
}

describe('starling service (supervisor) in a temporary HOME', () => {
  let home;
  let env;
  const rooms = [];

  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'starling-home-'));
    env = { HOME: home, STARLING_SERVICE_MANAGER: 'supervisor', DOTNET_CLI_HOME: os.homedir(), NUGET_PACKAGES: path.join(os.homedir(), '.nuget', 'packages') };
  });

  after(async () => {
    for (const r of rooms) await r.disconnect().catch(() => {});
    await runStarling(['service', 'uninstall', '--yes'], { env }).catch(() => {});
    await rm(home, { recursive: true, force: true });
  });

  const service = (...args) => runStarling(['service', ...args], { env });
  const status = async () => {
    const r = await service('status', '--json');
    return { code: r.code, ...JSON.parse(r.stdout) };
  };

  test('install → start → join → kill -9 → restarted → stop → uninstall', { timeout: 180_000 }, async () => {
    const port = await freeServicePort();
    const installed = await service('install', '--user', '--port', String(port));
    assert.equal(installed.code, 0, installed.stderr);
    const key = installed.stdout.match(/^LIVEKIT_API_KEY=(\S+)$/m)?.[1];
    const secret = installed.stdout.match(/^LIVEKIT_API_SECRET=(\S+)$/m)?.[1];
    assert.ok(key && key !== 'devkey' && secret?.length >= 32, `fresh keys printed:\n${installed.stdout}`);
    const dir = path.join(home, '.starling', 'services', 'starling');
    const config = await stat(path.join(dir, 'livekit.yaml'));
    assert.equal(config.mode & 0o777, 0o600, 'livekit.yaml is 0600');
    assert.ok(existsSync(path.join(dir, 'bin', 'starling.dll')), 'the server was copied');

    const stopped = await status();
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.code, 3);

    const started = await service('start');
    assert.equal(started.code, 0, started.stderr);
    const running = await eventually(async () => { const s = await status(); return s.state === 'running' ? s : null; }, 10_000, 'healthy within 10 s');
    assert.equal(running.health, 'ok');
    assert.ok(running.pid > 0 && running.supervisor_pid > 0);
    assert.equal(running.api_key, key);
    const text = (await service('status')).stdout;
    assert.match(text, new RegExp(`^LIVEKIT_URL=ws://127\\.0\\.0\\.1:${port}$`, 'm'));
    assert.match(text, new RegExp(`^LIVEKIT_API_KEY=${key}$`, 'm'));
    assert.match(text, new RegExp(`^LIVEKIT_API_SECRET=${secret}$`, 'm'));

    // an rtc-node participant joins with the printed keys
    const at = new AccessToken(key, secret, { identity: 'visitor', ttl: '5m' });
    at.addGrant({ roomJoin: true, room: 'service-room' });
    const room = new Room();
    rooms.push(room);
    await room.connect(`ws://${testHost}:${port}`, await at.toJwt(), { autoSubscribe: true });
    await eventually(async () => (await status()).participants === 1, 5_000, 'status counts the participant');
    await room.disconnect();

    // kill -9 the server: the supervisor restarts it
    process.kill(running.pid, 'SIGKILL');
    const restarted = await eventually(async () => { const s = await status(); return s.state === 'running' && s.pid !== running.pid ? s : null; }, 15_000, 'restarted and healthy');
    assert.equal(restarted.supervisor_pid, running.supervisor_pid, 'the same supervisor');
    const logs = (await service('logs')).stdout;
    assert.match(logs, /exited with code 137|exited with code -1|restarting in/);

    // stop: stopped, port free, processes gone
    const stop = await service('stop');
    assert.equal(stop.code, 0, stop.stderr);
    const after = await status();
    assert.equal(after.state, 'stopped');
    assert.ok(await portFree(port), 'the port is free');
    assert.ok(!alive(restarted.pid), 'the server process is gone');
    assert.ok(!alive(restarted.supervisor_pid), 'the supervisor is gone');

    // uninstall: nothing left
    const removed = await service('uninstall', '--yes');
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok(!existsSync(path.join(home, '.starling')), `~/.starling is gone (left: ${existsSync(path.join(home, '.starling')) ? (await readdir(path.join(home, '.starling'))).join(', ') : ''})`);
    assert.equal((await status()).state, 'not installed');
  });

  test('clear errors: not installed, port taken, config invalid', { timeout: 60_000 }, async () => {
    const start = await service('start');
    assert.equal(start.code, 1);
    assert.match(start.stderr, /not installed/);
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const taken = blocker.address().port;
    const install = await service('install', '--port', String(taken));
    blocker.close();
    assert.equal(install.code, 1);
    assert.match(install.stderr, new RegExp(`port ${taken} is already in use`));
    assert.ok(!existsSync(path.join(home, '.starling', 'service.json')), 'nothing installed');

    const port = await freeServicePort();
    assert.equal((await service('install', '--port', String(port))).code, 0);
    const config = path.join(home, '.starling', 'services', 'starling', 'livekit.yaml');
    writeFileSync(config, readFileSync(config, 'utf8') + 'no_such_key: 1\n');
    const bad = await service('start');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /config .* is invalid: .*no_such_key/);
    assert.equal((await service('uninstall', '--yes')).code, 0);
  });
});

describe('discover and graceful drain', () => {
  let home;
  let env;
  const stops = [];

  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'starling-home-'));
    env = { HOME: home, STARLING_SERVICE_MANAGER: 'supervisor', DOTNET_CLI_HOME: os.homedir(), NUGET_PACKAGES: path.join(os.homedir(), '.nuget', 'packages') };
  });

  after(async () => {
    for (const stop of stops) await stop().catch(() => {});
    await runStarling(['service', 'uninstall', '--yes'], { env }).catch(() => {});
    await dispose();
    await rm(home, { recursive: true, force: true });
  });

  test('discover finds the running service and a serve --dev on 7880', { timeout: 120_000 }, async (t) => {
    if (!(await portFree(7880)) || !(await portFree(7881)) || !(await portFree(7882))) {
      t.skip('ports 7880-7882 are taken on this machine (CI runs this inside a private network namespace)');
      return;
    }
    const dev = spawn(starlingBin, ['serve', '--dev'], { stdio: 'ignore' });
    stops.push(async () => { dev.kill('SIGTERM'); await new Promise((r) => dev.once('exit', r)); });
    const port = await freeServicePort();
    assert.equal((await runStarling(['service', 'install', '--port', String(port)], { env })).code, 0);
    assert.equal((await runStarling(['service', 'start'], { env })).code, 0);
    await eventually(async () => (await fetch('http://127.0.0.1:7880/health')).ok, 30_000, 'serve --dev up');

    const found = JSON.parse((await runStarling(['discover', '--json'], { env })).stdout);
    const byPort = Object.fromEntries(found.map((f) => [new URL(f.url).port, f]));
    assert.ok(byPort['7880']?.healthy, `the dev server on 7880 (${JSON.stringify(found)})`);
    assert.equal(byPort['7880'].api_key, 'devkey', 'dev keys recognised');
    assert.ok(byPort[String(port)]?.healthy, 'the installed service');
    assert.ok(byPort[String(port)].keys_known);
    assert.match(byPort[String(port)].version, /^\d+\.\d+\.\d+$/);
    const table = (await runStarling(['discover'], { env })).stdout;
    assert.match(table, /ws:\/\/127\.0\.0\.1:7880/);
    assert.match(table, new RegExp(`ws://127\\.0\\.0\\.1:${port}`));
  });

  test('SIGTERM with a connected client: /health 503, the client is told, the process exits within 10 s', { timeout: 60_000 }, async () => {
    const server = await startServer();
    const client = await join(server.wsUrl, 'drain', 'stayer');
    const events = [];
    client.room.on(RoomEvent.Reconnecting, () => events.push('reconnecting'));
    client.room.on(RoomEvent.Disconnected, (reason) => events.push(`disconnected:${reason}`));
    assert.equal((await fetch(server.url + '/health')).status, 200);
    const t0 = Date.now();
    const exited = server.stop(); // SIGTERM
    const draining = await eventually(async () => {
      try {
        const res = await fetch(server.url + '/health');
        return res.status === 503 ? res.json() : null;
      } catch {
        return { gone: true }; // already closed: the drain was quicker than the poll
      }
    }, 10_000, '/health 503 while draining');
    const code = await exited;
    const tookMs = Date.now() - t0;
    console.log(`drain: exit ${JSON.stringify(code)} after ${tookMs} ms; health ${JSON.stringify(draining)}; client events ${events.join(', ')}`);
    assert.ok(tookMs < 10_000, `exited within 10 s (${tookMs} ms)`);
    assert.equal(code.code, 0);
    await eventually(() => events.length > 0, 5_000, 'the client heard of the shutdown');
    assert.match(server.output(), /shutting down/);
    await client.room.disconnect().catch(() => {});
  });
});
