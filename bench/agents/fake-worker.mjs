// A lightweight agent worker that speaks the /agent protocol directly (binary protobuf WorkerMessage/ServerMessage
// from @livekit/protocol over a WebSocket authorised with a `video.agent` JWT), so a benchmark can run many of
// them in one process. It accepts every job at once and records when the availability request and the
// assignment arrived (by `clock`, performance.now() unless given).
import { AccessToken } from 'livekit-server-sdk';
import { JobType, ParticipantPermission, ServerMessage, WorkerMessage } from '@livekit/protocol';
import WebSocket from 'ws';

export async function connectFakeWorker(wsUrl, { apiKey = 'devkey', apiSecret = 'secret', agentName = '', onAssignment, clock = () => performance.now() } = {}) {
  const at = new AccessToken(apiKey, apiSecret);
  at.addGrant({ agent: true });
  const ws = new WebSocket(new URL('agent', wsUrl.endsWith('/') ? wsUrl : wsUrl + '/'), {
    headers: { authorization: `Bearer ${await at.toJwt()}` },
    perMessageDeflate: false,
  });
  ws.binaryType = 'nodebuffer';
  const worker = { id: null, jobs: new Map(), unexpected: [], ws };
  const send = (message) => ws.send(new WorkerMessage({ message }).toBinary());

  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`/agent upgrade refused: HTTP ${res.statusCode}`)));
  });
  const registered = new Promise((resolve, reject) => {
    ws.once('close', (code) => reject(new Error(`/agent closed before register (${code})`)));
    ws.on('message', (data, isBinary) => {
      const at = clock();
      if (!isBinary) {
        worker.unexpected.push(`text frame: ${String(data).slice(0, 100)}`);
        return;
      }
      const msg = ServerMessage.fromBinary(data);
      switch (msg.message.case) {
        case 'register':
          worker.id = msg.message.value.workerId;
          resolve(worker);
          break;
        case 'availability': {
          const job = msg.message.value.job;
          const identity = `agent-${job.id}`;
          worker.jobs.set(job.id, { job, room: job.room?.name, availabilityAt: at, identity });
          send({ case: 'availability', value: { jobId: job.id, available: true, participantIdentity: identity, participantName: 'bench agent', participantAttributes: { 'lk.agent_name': agentName } } });
          break;
        }
        case 'assignment': {
          const entry = worker.jobs.get(msg.message.value.job?.id);
          if (!entry) {
            worker.unexpected.push(`assignment for unknown job ${msg.message.value.job?.id}`);
            break;
          }
          entry.assignmentAt = at;
          entry.token = msg.message.value.token;
          entry.url = msg.message.value.url;
          onAssignment?.(entry);
          break;
        }
        case 'termination':
          break;
        default:
          if (msg.message.case !== 'pong') worker.unexpected.push(`server message ${msg.message.case}`);
      }
    });
  });
  registered.catch(() => {});
  await opened;
  send({
    case: 'register',
    value: {
      type: JobType.JT_ROOM,
      agentName,
      version: 'starling-bench',
      allowedPermissions: new ParticipantPermission({ canPublish: true, canSubscribe: true, canPublishData: true, canUpdateMetadata: true, agent: true }),
    },
  });
  await registered;
  send({ case: 'updateWorker', value: { status: 0, load: 0 } });
  worker.close = () => new Promise((r) => { ws.once('close', r); ws.close(); });
  return worker;
}
