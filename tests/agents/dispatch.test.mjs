// Agent dispatch with the official agents framework (inside netns-run): @livekit/agents 1.9.0 workers started with
// cli.runApp `start`, one unnamed (automatic dispatch) and two named 'named' (explicit dispatch), against a real
// `./starling serve`. A user on rtc-node joins, publishes a 48 kHz sine as `mic`, and the agent's job must hear it
// at 16 kHz mono; explicit dispatch (AgentDispatchService, token roomConfig.agents), deletion, re-dispatch after a
// worker is SIGKILLed, and room closure with an agent still inside follow.
// Run (repo root, after `npm ci` in tests/agents and tests/interop; ./test.sh does both):
//   ../shared/tools/netns-run -- env STARLING_TEST_HOST=10.77.0.1 bash -c 'cd tests/agents && node --test dispatch.test.mjs'
// STARLING_SHOW_SERVER_LOG=1 / STARLING_SHOW_WORKER_LOG=1 print the server's and the workers' logs at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import { JobStatus, JobType, RoomAgentDispatch } from '@livekit/protocol';
import { eventually, runStarling, startServer } from '../interop/lib/server.mjs';
import { startWebhookSink } from '../interop/lib/webhook-sink.mjs';
import { AGENT_KIND, agentsSeenBy, join, joinWithRoomAgents, judgeTone, publishSine, rtc } from './lib/user.mjs';
import { reportDir, startWorker } from './lib/workers.mjs';
import { LISTEN_SAMPLE_RATE, MIC_TRACK } from './lib/constants.mjs';

const TONE_HZ = 440;
const TOLERANCE_HZ = 10;
const DEPARTURE_TIMEOUT_S = 2;
const ONSET_SKIP_MS = 200;
const AGENT_JOIN_TIMEOUT_MS = 20_000; // availability + assignment + a job process connecting over WebRTC
const NAMED = 'named';
const AGENT_NAME_ATTRIBUTE = 'lk.agent_name';

describe('agent workers (@livekit/agents 1.9.0 with cli.runApp) against Starling', () => {
  let server;
  let reports;
  let dispatch;
  let roomService;
  let webhooks;
  const workers = {};
  const users = [];
  const cleanups = [];

  before(async () => {
    webhooks = await startWebhookSink();
    server = await startServer({
      configYaml: `room:\n  departure_timeout: ${DEPARTURE_TIMEOUT_S}\nwebhook:\n  api_key: devkey\n  urls:\n    - ${webhooks.url}\n`,
    });
    reports = reportDir();
    dispatch = new AgentDispatchClient(server.url, 'devkey', 'secret');
    roomService = new RoomServiceClient(server.url, 'devkey', 'secret');
    const [auto, named1, named2] = await Promise.all([
      startWorker(server.wsUrl, { reports, label: 'auto' }),
      startWorker(server.wsUrl, { reports, agentName: NAMED, label: 'named-1' }),
      startWorker(server.wsUrl, { reports, agentName: NAMED, label: 'named-2' }),
    ]);
    Object.assign(workers, { auto, named1, named2 });
    for (const w of Object.values(workers)) assert.match(w.workerId ?? '', /^AW_/, `${w.label} got a worker id`);
  }, { timeout: 120_000 });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    for (const u of users) await u.room.disconnect().catch(() => {});
    for (const w of Object.values(workers)) await w.stop().catch(() => {});
    await rtc.dispose();
    await server?.stop();
    await webhooks?.close();
    if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
    if (process.env.STARLING_SHOW_WORKER_LOG) for (const w of Object.values(workers)) console.log(`--- ${w.label}\n${w.output()}`);
    reports?.remove();
  }, { timeout: 60_000 });

  async function joinUser(roomName, identity = 'user') {
    const u = await join(server.wsUrl, roomName, identity);
    users.push(u);
    return u;
  }

  /** The first report `event` for `room` matching `where`, waited for. */
  async function reported(event, room, where = () => true, timeoutMs = AGENT_JOIN_TIMEOUT_MS) {
    try {
      return await eventually(() => reports.find((r) => r.event === event && r.room === room && where(r))[0], timeoutMs,
        `an agent job reported '${event}' in room ${room}`);
    } catch (err) {
      err.message += `; reports: ${JSON.stringify(reports.all().map((r) => [r.event, r.room, r.agentName, r.jobId, r.workerPid]))}`;
      throw err;
    }
  }

  /**
   * The dispatch's JT_ROOM jobs (the workers here register for JT_ROOM). Other job types must not have reached a
   * worker; livekit-server would not list them at all when no worker of that type is registered.
   */
  function roomJobsOf(d) {
    const jobs = d?.state?.jobs ?? [];
    const assignedOthers = jobs.filter((jb) => jb.type !== JobType.JT_ROOM && jb.state?.workerId);
    assert.deepEqual(assignedOthers.map((jb) => [jb.id, jb.type, jb.state.workerId]), [], 'no JT_PARTICIPANT/JT_PUBLISHER job went to a JT_ROOM worker');
    return jobs.filter((jb) => jb.type === JobType.JT_ROOM);
  }

  function workerOf(report) {
    return Object.values(workers).find((w) => w.pid === report.workerPid);
  }

  test('starling agent workers lists the three agents-js workers as registered', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await runStarling(['agent', 'workers', '--json', '--url', server.url, '--api-key', 'devkey', '--api-secret', 'secret']);
    assert.equal(code, 0, stderr);
    const listed = JSON.parse(stdout).workers;
    const expected = Object.values(workers).map((w) => [w.workerId, w.agentName]).sort();
    assert.deepEqual(listed.map((w) => [w.id, w.agentName]).sort(), expected);
    for (const w of listed) {
      assert.equal(w.version, '1.9.0', 'agents-js sends its version in register');
      assert.equal(w.jobType, 'JT_ROOM');
      assert.equal(w.status, 'WS_AVAILABLE');
    }
  });

  test('automatic dispatch: only the unnamed worker joins a new room, as an AGENT, and hears the mic at 16 kHz mono', { timeout: 60_000 }, async () => {
    const roomName = 'auto-dispatch';
    const user = await joinUser(roomName);
    const publishedAt = Date.now();
    const sine = await publishSine(user.room, { frequency: TONE_HZ, amplitude: 0.5, name: MIC_TRACK });
    cleanups.push(() => sine.stop());

    const joined = await reported('joined', roomName);
    assert.equal(workerOf(joined), workers.auto, `the job ran on the unnamed worker (pid ${joined.workerPid})`);
    assert.equal(joined.agentName, '');
    assert.equal(joined.identity, `agent-${joined.jobId}`, 'agents-js default identity agent-<job id>');

    const seen = await eventually(() => agentsSeenBy(user).find((p) => p.identity === joined.identity), 10_000,
      `the user sees ${joined.identity} with kind AGENT (${AGENT_KIND}); remote participants: ` +
      JSON.stringify([...user.room.remoteParticipants.values()].map((p) => [p.identity, p.kind])));
    assert.equal(seen.kind, AGENT_KIND);
    assert.equal(seen.attributes[AGENT_NAME_ATTRIBUTE], '', `${AGENT_NAME_ATTRIBUTE} carries the (empty) agent name`);
    const hello = await eventually(() => user.data.find((d) => d.topic === 'agent-hello'), 10_000, 'the agent\'s data packet reaches the user');
    assert.equal(hello.from, joined.identity);
    assert.equal(JSON.parse(hello.payload.toString()).jobId, joined.jobId);

    const heard = await reported('heard', roomName, (r) => r.jobId === joined.jobId, 20_000);
    await sine.stop();
    assert.equal(heard.from, 'user');
    assert.equal(heard.trackSid, sine.publication.sid);
    const shapes = new Set(heard.frames.map((f) => `${f.sampleRate}/${f.channels}/${f.length === f.samplesPerChannel * f.channels}`));
    assert.deepEqual([...shapes], [`${LISTEN_SAMPLE_RATE}/1/true`], 'every AudioStream frame is 16 kHz mono with a matching length');
    const spanMs = heard.frames.at(-1).at - heard.frames[0].at;
    const samples = heard.frames.slice(0, -1).reduce((n, f) => n + f.samplesPerChannel, 0);
    const samplesPerSecond = (samples / spanMs) * 1000;
    const framesPerSecond = ((heard.frames.length - 1) / spanMs) * 1000;
    const pcm = new Int16Array(Buffer.from(heard.pcm, 'base64').buffer.slice(0));
    // The first ~100 ms after the onset are the decoder's and the resampler's start-up (measured: windows #1-#9 off
    // tone now and then); judge the 1.5 s after ONSET_SKIP_MS.
    const windowMs = 1500;
    const skip = (ONSET_SKIP_MS * LISTEN_SAMPLE_RATE) / 1000;
    assert.ok(pcm.length >= skip + (windowMs * LISTEN_SAMPLE_RATE) / 1000, `the agent kept ${pcm.length} samples`);
    const j = judgeTone([{ data: pcm.subarray(skip), channels: 1 }], { frequency: TONE_HZ, tolerance: TOLERANCE_HZ, windowMs, sampleRate: LISTEN_SAMPLE_RATE });
    console.log(`auto dispatch: agent ${joined.identity} joined ${joined.at - publishedAt} ms relative to publish; ` +
      `${heard.frames.length} frames (${Math.round(framesPerSecond)}/s, ${Math.round(samplesPerSecond)} samples/s, ` +
      `${heard.frames[0].samplesPerChannel} per frame); ${j.toneFrames}/${j.frames} 10 ms windows at ${TONE_HZ} Hz` +
      (j.toneFrames < j.frames ? ` (off-tone windows: ${j.frequencies.map((f, i) => [i, f]).filter(([, f]) => Math.abs(f - TONE_HZ) > TOLERANCE_HZ).map(([i, f]) => `#${i}:${f}Hz`).join(' ')})` : ''));
    assert.ok(Math.abs(samplesPerSecond - LISTEN_SAMPLE_RATE) < 0.1 * LISTEN_SAMPLE_RATE,
      `samples arrive in real time at 16 kHz (measured ${Math.round(samplesPerSecond)}/s over ${Math.round(spanMs)} ms)`);
    assert.ok(j.frames >= 0.95 * j.expected, `the agent kept ${j.frames} of ${j.expected} 10 ms windows`);
    // The tone must be right (median within 2 Hz) and nearly every window must carry it. 90%, not the media suite's
    // 95% over 5 s: here the window is 1.5 s, and on a loaded 2-core box (load average 12) one run lost 8 of 150
    // windows around #121 (one silent, one off tone, the rest below the level or purity bar), i.e. a dropout of
    // ~80 ms. Forwarding quality under load is tests/interop/rtc/media's job; this checks the agent's audio path.
    const median = [...j.frequencies].sort((a, b) => a - b)[j.frequencies.length >> 1];
    assert.ok(Math.abs(median - TONE_HZ) <= 2, `the median window frequency is ${median} Hz`);
    assert.ok(j.toneRatio >= 0.9, `only ${j.toneFrames}/${j.frames} windows were ${TONE_HZ} Hz: ${j.frequencies.slice(0, 20)}`);

    // Deterministic proof that the named workers were not asked: the room holds one dispatch, the default one.
    const dispatches = await dispatch.listDispatch(roomName);
    assert.deepEqual(dispatches.map((d) => d.agentName), [''], 'one default dispatch (empty agent name)');
    const roomJobs = roomJobsOf(dispatches[0]);
    assert.deepEqual(roomJobs.map((jb) => jb.id), [joined.jobId], 'one JT_ROOM job for the default dispatch');
    assert.equal(roomJobs[0].state?.workerId, workers.auto.workerId);
    assert.deepEqual(agentsSeenBy(user).map((p) => p.identity), [joined.identity], 'exactly one agent in the room');
    assert.deepEqual(reports.find((r) => r.room === roomName && r.agentName !== '').map((r) => r.jobId), [], 'no named job in the room');
  });

  test('createDispatch sends a named worker with metadata, listDispatch shows its job, deleteDispatch takes it out', { timeout: 60_000 }, async () => {
    const roomName = 'explicit-dispatch';
    const user = await joinUser(roomName);
    const metadata = JSON.stringify({ purpose: 'explicit', nonce: Math.random() });
    const created = await dispatch.createDispatch(roomName, NAMED, { metadata });
    assert.match(created.id, /^AD_/);
    assert.equal(created.agentName, NAMED);
    assert.equal(created.room, roomName);
    assert.equal(created.metadata, metadata);

    const joined = await reported('joined', roomName, (r) => r.dispatchId === created.id);
    assert.equal(joined.agentName, NAMED);
    assert.equal(joined.metadata, metadata, 'the job sees the dispatch metadata in ctx.job.metadata');
    assert.ok([workers.named1, workers.named2].includes(workerOf(joined)), 'a named worker took the job');
    const seen = await eventually(() => agentsSeenBy(user).find((p) => p.identity === joined.identity), 10_000,
      `the user sees the named agent ${joined.identity}`);
    assert.equal(seen.attributes[AGENT_NAME_ATTRIBUTE], NAMED);

    const listed = await dispatch.listDispatch(roomName);
    const mine = listed.find((d) => d.id === created.id);
    assert.ok(mine, `listDispatch lists ${created.id}: ${JSON.stringify(listed.map((d) => d.id))}`);
    assert.equal(mine.metadata, metadata);
    const roomJobs = roomJobsOf(mine);
    assert.equal(roomJobs.length, 1, 'one JT_ROOM job for the dispatch');
    const job = roomJobs[0];
    assert.equal(job.id, joined.jobId);
    assert.equal(job.dispatchId, created.id);
    assert.equal(job.agentName, NAMED);
    assert.equal(job.room?.name, roomName);
    assert.equal(job.state?.status, JobStatus.JS_RUNNING);
    assert.equal(job.state?.participantIdentity, joined.identity);
    assert.equal(job.state?.workerId, workerOf(joined).workerId);
    assert.ok(listed.some((d) => d.agentName === ''), 'the default dispatch from the join is there too');

    await dispatch.deleteDispatch(created.id, roomName);
    await eventually(() => user.left.some((l) => l.identity === joined.identity), 10_000,
      `the user sees ${joined.identity} disconnect after deleteDispatch`);
    await reported('shutdown', roomName, (r) => r.jobId === joined.jobId, 10_000);
    assert.ok(!(await dispatch.listDispatch(roomName)).some((d) => d.id === created.id), 'the dispatch is gone');
    assert.ok(agentsSeenBy(user).every((p) => p.attributes[AGENT_NAME_ATTRIBUTE] !== NAMED), 'no named agent left in the room');
  });

  test('a token with roomConfig.agents creates the room with only the named agent', { timeout: 60_000 }, async () => {
    const roomName = 'token-dispatch';
    const user = await joinWithRoomAgents(server.wsUrl, roomName, 'user', [{ agentName: NAMED, metadata: 'from-token' }]);
    users.push(user);
    const joined = await reported('joined', roomName);
    assert.equal(joined.agentName, NAMED);
    assert.equal(joined.metadata, 'from-token');
    await eventually(() => agentsSeenBy(user).some((p) => p.identity === joined.identity), 10_000, 'the user sees the named agent');

    const dispatches = await dispatch.listDispatch(roomName);
    assert.deepEqual(dispatches.map((d) => [d.agentName, d.metadata]), [[NAMED, 'from-token']],
      'only the token dispatch, no default dispatch for unnamed workers');
    assert.deepEqual(reports.find((r) => r.room === roomName && r.agentName === '').map((r) => r.jobId), [], 'no automatic job in the room');
  });

  test('CreateRoom with agents starts the named agent in the new room before anyone joins, and only it', { timeout: 60_000 }, async () => {
    const roomName = 'create-room-dispatch';
    await roomService.createRoom({ name: roomName, agents: [new RoomAgentDispatch({ agentName: NAMED, metadata: 'from-create-room' })] });
    const joined = await reported('joined', roomName);
    assert.equal(joined.agentName, NAMED);
    assert.equal(joined.metadata, 'from-create-room');
    const user = await joinUser(roomName);
    await eventually(() => agentsSeenBy(user).some((p) => p.identity === joined.identity), 10_000, 'the user finds the agent already in the room');
    const dispatches = await dispatch.listDispatch(roomName);
    assert.deepEqual(dispatches.map((d) => [d.agentName, d.metadata]), [[NAMED, 'from-create-room']], 'no default dispatch next to the explicit one');
  });

  test('the room closes after the user leaves although the agent is still in it', { timeout: 60_000 }, async () => {
    const roomName = 'departure';
    const user = await joinUser(roomName);
    const joined = await reported('joined', roomName);
    await eventually(() => agentsSeenBy(user).some((p) => p.identity === joined.identity), 10_000, 'the user sees the agent');
    const participants = await roomService.listParticipants(roomName);
    assert.ok(participants.some((p) => p.identity === joined.identity && p.kind === AGENT_KIND), 'the agent is in the room');

    const leftAt = Date.now();
    await user.room.disconnect();
    const closedAt = await eventually(async () => !(await roomService.listRooms([roomName])).length && Date.now(),
      (DEPARTURE_TIMEOUT_S + 10) * 1000, `room ${roomName} closed after departure_timeout ${DEPARTURE_TIMEOUT_S} s`, 100);
    const gone = await reported('shutdown', roomName, (r) => r.jobId === joined.jobId, 15_000);
    const events = (name) => webhooks.received.map((w) => JSON.parse(w.body)).filter((e) => e.event === name && e.room?.name === roomName);
    await eventually(() => events('room_finished').length === 1, 5000, `one room_finished webhook for ${roomName}`);
    assert.ok(events('participant_left').some((e) => e.participant?.identity === 'user'), 'participant_left for the user');
    console.log(`departure: room gone ${closedAt - leftAt} ms after the user left; agent job shut down ${gone.at - leftAt} ms after`);
    assert.ok(closedAt - leftAt >= (DEPARTURE_TIMEOUT_S - 1) * 1000, `the room waited for departure_timeout (${closedAt - leftAt} ms)`);
    assert.ok(gone.at - leftAt >= (DEPARTURE_TIMEOUT_S - 1) * 1000,
      `the agent stayed in the room until it closed (its job ended ${gone.at - leftAt} ms after the user left)`);
  });

  test('SIGKILL of the worker running a job re-dispatches the job to the other named worker', { timeout: 90_000 }, async () => {
    const roomName = 'redispatch';
    const user = await joinUser(roomName);
    const created = await dispatch.createDispatch(roomName, NAMED, { metadata: 'survive' });
    const first = await reported('joined', roomName, (r) => r.dispatchId === created.id);
    const victim = workerOf(first);
    const survivor = victim === workers.named1 ? workers.named2 : workers.named1;
    assert.ok(victim && victim.agentName === NAMED, 'a named worker ran the first job');

    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await eventually(() => victim.exited(), 5000, `${victim.label} is dead`);
    const second = await reported('joined', roomName, (r) => r.dispatchId === created.id && r.workerPid === survivor.pid, 30_000);
    console.log(`redispatch: ${survivor.label} joined as ${second.identity} (job ${second.jobId}) ${second.at - killedAt} ms after ${victim.label} was killed`);
    assert.equal(second.metadata, 'survive', 'the re-dispatched job carries the dispatch metadata');
    await eventually(() => agentsSeenBy(user).some((p) => p.identity === second.identity), 10_000, 'the user sees the replacement agent');
    console.log(`redispatch: first job ${first.jobId} as ${first.identity}, second job ${second.jobId} as ${second.identity}`);
    // The killed job's participant vanished without a leave; the user must end up with one named agent, not two.
    await eventually(() => agentsSeenBy(user).filter((p) => p.attributes[AGENT_NAME_ATTRIBUTE] === NAMED).length === 1, 20_000,
      `one named agent in the room after the re-dispatch (seen: ${JSON.stringify(agentsSeenBy(user).map((p) => p.identity))})`);

    const mine = (await dispatch.listDispatch(roomName)).find((d) => d.id === created.id);
    const jobs = roomJobsOf(mine);
    console.log(`redispatch: jobs of ${created.id}: ${JSON.stringify(jobs.map((jb) => [jb.id, JobStatus[jb.state?.status], jb.state?.workerId, jb.state?.error]))}`);
    const running = jobs.filter((jb) => jb.state?.status === JobStatus.JS_RUNNING);
    assert.deepEqual(running.map((jb) => jb.state?.workerId), [survivor.workerId], 'the dispatch now runs on the survivor');
  });
});
