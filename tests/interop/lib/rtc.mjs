// Helpers for @livekit/rtc-node participants in tests: join with a token, record what arrives.
import { Room, RoomEvent } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';

export const KEY = 'devkey';
export const SECRET = 'secret';

export async function token(identity, room, grant = {}, extra = {}) {
  const at = new AccessToken(KEY, SECRET, { identity, ttl: '10m', ...extra });
  at.addGrant({ roomJoin: true, room, ...grant });
  return at.toJwt();
}

/** Joins `room` as `identity`; returns { room, identity, joined: [], left: [], data: [], joinMs }. */
export async function join(wsUrl, roomName, identity, grant = {}, options = {}) {
  const room = new Room();
  const record = { room, identity, joined: [], left: [], data: [], events: [] };
  room.on(RoomEvent.ParticipantConnected, (p) => record.joined.push({ identity: p.identity, at: Date.now() }));
  room.on(RoomEvent.ParticipantDisconnected, (p) => record.left.push({ identity: p.identity, at: Date.now() }));
  room.on(RoomEvent.DataReceived, (payload, participant, kind, topic) =>
    record.data.push({ payload: Buffer.from(payload), from: participant?.identity, kind, topic, at: Date.now() }));
  room.on(RoomEvent.Reconnecting, () => record.events.push('reconnecting'));
  room.on(RoomEvent.Reconnected, () => record.events.push('reconnected'));
  room.on(RoomEvent.Disconnected, (reason) => record.events.push(`disconnected:${reason}`));
  const started = Date.now();
  await room.connect(wsUrl, await token(identity, roomName, grant), { autoSubscribe: true, dynacast: false, ...options });
  record.joinMs = Date.now() - started;
  return record;
}
