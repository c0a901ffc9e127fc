// The agent the test workers run: an official @livekit/agents worker (`node lib/agent.mjs start`) whose job joins
// the room, records who it is and what the job said, and listens to the user's `mic` track through
// AudioStream(16 kHz mono). It reports to the test by writing JSON files into $STARLING_AGENT_REPORTS
// (one file per event, written whole and renamed into place so the test never reads half a file).
//
// Worker settings come from the environment: AGENT_NAME ('' = automatic dispatch), AGENT_HTTP_PORT (the worker's
// health server; each worker needs its own), LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET (read by runApp).
import { AutoSubscribe, ServerOptions, cli, defineAgent } from '@livekit/agents';
import { AudioStream, RoomEvent, TrackKind } from '@livekit/rtc-node';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LISTEN_CHANNELS, LISTEN_MS, LISTEN_SAMPLE_RATE, MIC_TRACK } from './constants.mjs';


let sequence = 0;
function report(event, fields) {
  const dir = process.env.STARLING_AGENT_REPORTS;
  if (!dir) return;
  const body = JSON.stringify({ event, at: Date.now(), pid: process.pid, workerPid: process.ppid, ...fields });
  const name = `${fields.jobId}-${event}-${process.pid}-${sequence++}.json`;
  fs.writeFileSync(path.join(dir, `.${name}.tmp`), body);
  fs.renameSync(path.join(dir, `.${name}.tmp`), path.join(dir, name));
}

function nonSilent(data) {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i] * data[i];
  return Math.sqrt(sum / Math.max(1, data.length)) / 32768 >= 0.01;
}

/** Reads `track` at 16 kHz mono; from the first audible frame on keeps LISTEN_MS of samples and every frame's shape. */
async function listen(track) {
  const reader = new AudioStream(track, { sampleRate: LISTEN_SAMPLE_RATE, numChannels: LISTEN_CHANNELS }).getReader();
  const frames = [];
  const chunks = [];
  let firstAudibleAt = null;
  let received = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received++;
      const at = performance.now();
      if (firstAudibleAt === null) {
        if (!nonSilent(value.data)) continue;
        firstAudibleAt = at;
      }
      frames.push({ sampleRate: value.sampleRate, channels: value.channels, samplesPerChannel: value.samplesPerChannel, length: value.data.length, at: at - firstAudibleAt });
      chunks.push(Int16Array.from(value.data));
      if (at - firstAudibleAt >= LISTEN_MS) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const pcm = new Int16Array(total);
  let o = 0;
  for (const c of chunks) { pcm.set(c, o); o += c.length; }
  return { received, frames, pcm: Buffer.from(pcm.buffer).toString('base64') };
}

export default defineAgent({
  entry: async (ctx) => {
    const job = ctx.job;
    const base = { jobId: job.id, dispatchId: job.dispatchId, agentName: job.agentName, room: job.room?.name, metadata: job.metadata };
    ctx.room.on(RoomEvent.Disconnected, (reason) => report('disconnected', { ...base, reason }));
    ctx.addShutdownCallback(async () => report('shutdown', base));
    await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY);
    const me = ctx.room.localParticipant;
    report('joined', { ...base, identity: me.identity, attributes: me.attributes, kind: me.info?.kind });
    // the minted token must let the agent publish data: say hello to the room
    await me.publishData(new TextEncoder().encode(JSON.stringify({ jobId: job.id })), { reliable: true, topic: 'agent-hello' });

    const onTrack = async (track, publication, participant) => {
      if (track.kind !== TrackKind.KIND_AUDIO || publication.name !== MIC_TRACK) return;
      ctx.room.off(RoomEvent.TrackSubscribed, onTrack);
      const heard = await listen(track);
      report('heard', { ...base, from: participant.identity, trackSid: publication.sid, ...heard });
    };
    ctx.room.on(RoomEvent.TrackSubscribed, onTrack);
    for (const p of ctx.room.remoteParticipants.values()) {
      for (const pub of p.trackPublications.values()) if (pub.track) onTrack(pub.track, pub, p);
    }
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  cli.runApp(new ServerOptions({
    agent: fileURLToPath(import.meta.url),
    agentName: process.env.AGENT_NAME ?? '',
    port: Number(process.env.AGENT_HTTP_PORT) || undefined,
    host: '127.0.0.1',
    numIdleProcesses: 1,
    // The default load is the machine's CPU use, which on a busy 2-core CI box crosses the 0.7 threshold and
    // marks the worker full; the test wants dispatch decided by the server alone.
    loadFunc: async () => 0,
    shutdownProcessTimeout: 5000,
    drainTimeout: 5000,
  }));
}
