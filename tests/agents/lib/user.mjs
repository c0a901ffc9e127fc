// The user side of the agent tests. It runs on the interop suite's @livekit/rtc-node 1.1.0 and its helpers
// (join, publishSine, the tone analysis), imported from ../interop so there is one rtc-node in the test process,
// while the agents run in their own processes on the 0.13 line that @livekit/agents 1.9.0 pins. Both clients
// meet in the same room, so the suite also checks that the two SDK generations interoperate through Starling.
// Needs `npm ci` in tests/interop (test.sh does that first).
import { AccessToken } from 'livekit-server-sdk';
import { RoomAgentDispatch, RoomConfiguration } from '@livekit/protocol';
import * as rtc from '../../interop/node_modules/@livekit/rtc-node/dist/index.js';
import { KEY, SECRET, join } from '../../interop/lib/rtc.mjs';

export { rtc, join };
export { judgeTone, publishSine } from '../../interop/lib/audio.mjs';

/** ParticipantInfo.Kind.AGENT as rtc-node reports it on a RemoteParticipant. */
export const AGENT_KIND = rtc.ParticipantKind.AGENT;

/** The remote participants of `record.room` that are agents, as { identity, kind, attributes }. */
export function agentsSeenBy(record) {
  return [...record.room.remoteParticipants.values()]
    .filter((p) => p.kind === AGENT_KIND)
    .map((p) => ({ identity: p.identity, kind: p.kind, attributes: { ...p.attributes } }));
}

/**
 * Joins `roomName` as `identity` with a token whose roomConfig asks for `agents` (RoomAgentDispatch fields) when
 * this join creates the room. Returns the same record as rtc.mjs's join.
 */
export async function joinWithRoomAgents(wsUrl, roomName, identity, agents) {
  const at = new AccessToken(KEY, SECRET, { identity, ttl: '10m' });
  at.addGrant({ roomJoin: true, room: roomName });
  at.roomConfig = new RoomConfiguration({ agents: agents.map((a) => new RoomAgentDispatch(a)) });
  const jwt = await at.toJwt();
  const room = new rtc.Room();
  const record = { room, identity, joined: [], left: [], data: [], events: [] };
  room.on(rtc.RoomEvent.ParticipantConnected, (p) => record.joined.push({ identity: p.identity, at: Date.now() }));
  room.on(rtc.RoomEvent.ParticipantDisconnected, (p) => record.left.push({ identity: p.identity, at: Date.now() }));
  await room.connect(wsUrl, jwt, { autoSubscribe: true, dynacast: false });
  return record;
}
