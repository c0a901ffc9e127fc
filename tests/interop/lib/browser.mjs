// livekit-client in headless Debian Chromium (playwright-core), for tests with a real browser WebRTC stack.
//
// startBrowser() serves a tiny page plus livekit-client's UMD bundle from a node http server bound to the
// test host and launches Chromium with the flags from ARCHITECTURE.md. browser.newClient(name) opens a page
// whose `LivekitClient.Room` the test drives (connect, publishData, disconnect) and whose room events reach
// the test as plain objects in `client.events`. Every page logs its RTCPeerConnections (state changes, the
// SDP in both directions) and livekit-client's own log to the console; the test prints that with
// `client.dumpLogs()` / `browser.dumpLogs()` when it fails.
//
// Run real-WebRTC tests inside /work/shared/tools/netns-run with STARLING_TEST_HOST=10.77.0.1.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { eventually, testHost } from './server.mjs';

const umdPath = fileURLToPath(new URL('../node_modules/livekit-client/dist/livekit-client.umd.js', import.meta.url));

export const chromiumPath = process.env.STARLING_CHROMIUM || '/usr/bin/chromium';

// Runs in every page before any other script: wraps RTCPeerConnection so each PC logs its lifecycle and the
// SDP exchanged, and keeps them in window.__pcs for state queries.
const pcLoggerScript = () => {
  const Native = window.RTCPeerConnection;
  let next = 0;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      const id = `pc#${++next}`;
      this.__id = id;
      window.__pcs.push(this);
      const log = (msg) => console.log(`[${id}] ${msg}`);
      log(`created ${JSON.stringify(args[0] ?? {})}`);
      for (const ev of ['signalingstatechange', 'iceconnectionstatechange', 'connectionstatechange', 'icegatheringstatechange']) {
        this.addEventListener(ev, () =>
          log(`${ev}: signaling=${this.signalingState} ice=${this.iceConnectionState} conn=${this.connectionState} gathering=${this.iceGatheringState}`));
      }
      this.addEventListener('icecandidateerror', (e) => log(`icecandidateerror ${e.errorCode} ${e.errorText} ${e.url ?? ''}`));
      this.addEventListener('datachannel', (e) => log(`remote datachannel ${e.channel.label} id=${e.channel.id}`));
    }
    async setLocalDescription(desc) {
      const r = await super.setLocalDescription(desc);
      console.log(`[${this.__id}] local ${this.localDescription?.type}:\n${this.localDescription?.sdp}`);
      return r;
    }
    async setRemoteDescription(desc) {
      console.log(`[${this.__id}] remote ${desc?.type}:\n${desc?.sdp}`);
      try {
        return await super.setRemoteDescription(desc);
      } catch (err) {
        console.log(`[${this.__id}] setRemoteDescription failed: ${err}`);
        throw err;
      }
    }
    async addIceCandidate(candidate) {
      console.log(`[${this.__id}] remote candidate ${JSON.stringify(candidate)}`);
      return super.addIceCandidate(candidate);
    }
    createDataChannel(label, init) {
      console.log(`[${this.__id}] createDataChannel ${label} ${JSON.stringify(init ?? {})}`);
      return super.createDataChannel(label, init);
    }
  };
};

// The in-page side of a client: window.harness, driven by page.evaluate; events go out via __starlingEvent.
const harnessScript = `
const LK = window.LivekitClient;
LK.setLogLevel('debug');
const emit = (type, data) => window.__starlingEvent({ type, at: Date.now(), ...data });
window.harness = {
  room: null,
  async connect(url, token, roomOptions, connectOptions) {
    const room = new LK.Room(roomOptions);
    this.room = room;
    const E = LK.RoomEvent;
    room.on(E.ParticipantConnected, (p) => emit('participantConnected', { identity: p.identity, sid: p.sid }));
    room.on(E.ParticipantDisconnected, (p) => emit('participantDisconnected', { identity: p.identity, sid: p.sid }));
    room.on(E.ConnectionStateChanged, (state) => emit('connectionState', { state }));
    room.on(E.Disconnected, (reason) => emit('disconnected', { reason }));
    room.on(E.DataReceived, (payload, participant, kind, topic) =>
      emit('data', { text: new TextDecoder().decode(payload), identity: participant?.identity, kind, topic }));
    this.remoteTracks = [];
    room.on(E.TrackSubscribed, (track, publication, participant) => {
      this.remoteTracks.push(track);
      emit('trackSubscribed', { kind: track.kind, sid: publication.trackSid, identity: participant.identity });
    });
    room.on(E.TrackUnsubscribed, (track, publication, participant) =>
      emit('trackUnsubscribed', { kind: track.kind, sid: publication.trackSid, identity: participant.identity }));
    const start = performance.now();
    await room.connect(url, token, connectOptions);
    const joinMs = performance.now() - start;
    return {
      joinMs,
      identity: room.localParticipant.identity,
      sid: room.localParticipant.sid,
      remotes: [...room.remoteParticipants.values()].map((p) => p.identity),
    };
  },
  async publish(text, options) {
    await this.room.localParticipant.publishData(new TextEncoder().encode(text), options);
  },
  async disconnect() {
    await this.room?.disconnect();
  },
  /** inbound-rtp stats of every subscribed track that still has a receiver. */
  async inboundStats() {
    const out = [];
    for (const track of this.remoteTracks ?? []) {
      if (!track.receiver) continue;
      for (const r of (await track.receiver.getStats()).values()) {
        if (r.type !== 'inbound-rtp') continue;
        out.push({
          sid: track.sid, kind: r.kind, packetsReceived: r.packetsReceived ?? 0, framesDecoded: r.framesDecoded ?? 0,
          frameWidth: r.frameWidth ?? 0, frameHeight: r.frameHeight ?? 0, packetsLost: r.packetsLost ?? 0,
          nackCount: r.nackCount ?? 0, retransmittedPacketsReceived: r.retransmittedPacketsReceived ?? 0,
        });
      }
    }
    return out;
  },
  /** Attaches the newest subscribed video track to a <video> element and counts the frames it presents. */
  watchVideo() {
    const track = [...(this.remoteTracks ?? [])].reverse().find((t) => t.kind === 'video');
    if (!track) return false;
    const element = track.attach();
    element.muted = true;
    document.body.appendChild(element);
    window.presentedFrames = 0;
    const onFrame = () => { window.presentedFrames++; element.requestVideoFrameCallback(onFrame); };
    element.requestVideoFrameCallback(onFrame);
    element.play().catch(() => {});
    return true;
  },
  status() {
    return {
      state: this.room?.state,
      remotes: this.room ? [...this.room.remoteParticipants.values()].map((p) => p.identity) : [],
      pcs: (window.__pcs || []).map((pc) => ({ id: pc.__id, signaling: pc.signalingState, ice: pc.iceConnectionState, conn: pc.connectionState })),
    };
  },
};
`;

const pageHtml = `<!doctype html>
<html><head><meta charset="utf-8"><title>starling interop</title></head>
<body>
<script src="/livekit-client.umd.js"></script>
<script src="/harness.js"></script>
</body></html>`;

async function startPageServer(host) {
  const umd = await readFile(umdPath);
  const routes = {
    '/': ['text/html; charset=utf-8', pageHtml],
    '/harness.js': ['text/javascript; charset=utf-8', harnessScript],
    '/livekit-client.umd.js': ['text/javascript; charset=utf-8', umd],
    '/favicon.ico': ['image/x-icon', ''],
  };
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': route[0], 'Cache-Control': 'no-store' }).end(route[1]);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address();
  return { url: `http://${host}:${port}/`, origin: `http://${host}:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Launches Chromium and the page server. Returns { newClient(name), dumpLogs(), close() }.
 * `close()` closes every page, the browser and the page server (safe to call twice).
 */
export async function startBrowser({ host = testHost } = {}) {
  const pages = await startPageServer(host);
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'starling-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection',
    // The page is plain http on a non-loopback address in the netns: make it a secure context like a real
    // https app, so secure-context-only APIs (crypto.randomUUID, ...) behave as in production.
    `--unsafely-treat-insecure-origin-as-secure=${pages.origin}`,
  ];
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args, chromiumSandbox: false });
  } catch (err) {
    await pages.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  await context.addInitScript(pcLoggerScript);
  const clients = [];
  let closed = false;

  return {
    pageUrl: pages.url,
    clients,
    async newClient(name) {
      const page = await context.newPage();
      const client = makeClient(name, page);
      clients.push(client);
      await page.exposeFunction('__starlingEvent', (event) => client.events.push(event));
      await page.goto(pages.url);
      await page.waitForFunction(() => !!window.harness, null, { timeout: 10_000 });
      return client;
    },
    dumpLogs() {
      for (const c of clients) c.dumpLogs();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of clients) await c.disconnect().catch(() => {});
      await context.close().catch(() => {});
      await pages.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const redact = (url) => url.replace(/access_token=[^&]*/, 'access_token=<redacted>').replace(/join_request=([^&]{16})[^&]*/, 'join_request=$1…');

function makeClient(name, page) {
  const logs = [];
  const events = [];
  const t0 = Date.now();
  const stamp = () => `+${String(Date.now() - t0).padStart(6)}ms`;
  page.on('console', (m) => logs.push(`${stamp()} ${m.type()}: ${m.text()}`));
  page.on('pageerror', (err) => logs.push(`${stamp()} pageerror: ${err.stack || err}`));
  page.on('crash', () => logs.push(`${stamp()} page crashed`));
  page.on('websocket', (ws) => {
    const url = redact(ws.url());
    logs.push(`${stamp()} websocket open ${url}`);
    ws.on('close', () => logs.push(`${stamp()} websocket closed ${url}`));
    ws.on('socketerror', (e) => logs.push(`${stamp()} websocket error ${e}`));
  });
  page.on('requestfailed', (r) => logs.push(`${stamp()} request failed ${redact(r.url())} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) logs.push(`${stamp()} HTTP ${r.status()} ${redact(r.url())}`);
  });

  return {
    name,
    page,
    events,
    logs,
    /** Connects the page's Room; resolves to { joinMs, identity, sid, remotes } (joinMs measured in the page). */
    async connect(url, token, { roomOptions = {}, connectOptions = {} } = {}) {
      return page.evaluate(([u, tk, ro, co]) => window.harness.connect(u, tk, ro, co), [url, token, roomOptions, connectOptions]);
    },
    /** Publishes a UTF-8 data message (reliable by default). */
    async publish(text, { reliable = true, topic, destinationIdentities } = {}) {
      return page.evaluate(([t, o]) => window.harness.publish(t, o), [text, { reliable, topic, destinationIdentities }]);
    },
    async disconnect() {
      if (page.isClosed()) return;
      await page.evaluate(() => window.harness?.disconnect());
    },
    async status() {
      return page.evaluate(() => window.harness.status());
    },
    /** inbound-rtp stats of the page's subscribed tracks: [{ sid, kind, packetsReceived, framesDecoded, frameWidth, frameHeight }]. */
    async inboundStats() {
      return page.evaluate(() => window.harness.inboundStats());
    },
    /** The first event of `type` matching `pred`, waiting up to `timeoutMs`. */
    async waitFor(type, pred = () => true, timeoutMs = 5_000) {
      return eventually(() => events.find((e) => e.type === type && pred(e)), timeoutMs, `${name}: event ${type}`);
    },
    dumpLogs() {
      console.log(`----- browser console of ${name} (${logs.length} lines) -----\n${logs.join('\n')}\n----- events of ${name} -----\n${events.map((e) => JSON.stringify(e)).join('\n')}\n----- end ${name} -----`);
    },
  };
}
