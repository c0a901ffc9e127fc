// The fake workers of the dispatch benchmark, on their own thread (own event loop), so the timestamps they take
// are not delayed by the main thread's burst of CreateRoom requests. Each worker accepts every job at once and,
// on assignment, joins with the assignment token over a signal-only v0 WebSocket (see dispatch.mjs). Times are
// absolute (performance.timeOrigin + performance.now()) so the main thread can compare them with its own.
import { parentPort, workerData } from 'node:worker_threads';
import { SignalRequest, SignalResponse } from '@livekit/protocol';
import WebSocket from 'ws';
import { connectFakeWorker } from './fake-worker.mjs';

const now = () => performance.timeOrigin + performance.now();
const { wsUrl, count, join } = workerData;
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
      if (msg.message.case === 'join') resolve({ at: now(), participant: msg.message.value.participant });
      else if (msg.message.case === 'leave') reject(new Error(`signal join answered with leave (reason ${msg.message.value.reason})`));
    });
  });
}

const workers = [];
for (let i = 0; i < count; i++) {
  workers.push(await connectFakeWorker(wsUrl, {
    clock: now,
    onAssignment: (entry) => {
      if (!join) return;
      signalJoin(entry.url || wsUrl, entry.token)
        .then((r) => { entry.joinedAt = r.at; entry.joinedAs = r.participant?.identity; entry.joinedKind = r.participant?.kind; })
        .catch((err) => { entry.joinError = err.message; });
    },
  }));
}

parentPort.on('message', async (msg) => {
  if (msg === 'collect') {
    parentPort.postMessage({
      workers: workers.map((w) => ({
        id: w.id,
        unexpected: w.unexpected,
        jobs: [...w.jobs.values()].map(({ job, token, ...e }) => ({ ...e, jobId: job.id, type: job.type, hasToken: Boolean(token) })),
      })),
    });
  } else if (msg === 'close') {
    for (const ws of signals) {
      try { ws.send(new SignalRequest({ message: { case: 'leave', value: {} } }).toBinary()); ws.close(); } catch { /* closed */ }
    }
    await Promise.all(workers.map((w) => w.close()));
    parentPort.postMessage('closed');
  }
});
parentPort.postMessage({ ready: workers.map((w) => w.id) });
