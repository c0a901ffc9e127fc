// Helpers for @livekit/rtc-node participants in tests: join with a token, record what arrives.
import {
  LocalVideoTrack, Room, RoomEvent, TrackPublishOptions, TrackSource, VideoBufferType, VideoFrame, VideoSource,
} from '@livekit/rtc-node';
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

/**
 * Publishes a `width`x`height` VideoSource fed a moving gradient at ~30 fps from `room`.
 * Returns { publication, track, stop() }; stop() ends the frames (the caller registers it for cleanup).
 */
export async function publishVideo(room, { name = 'cam', source = TrackSource.SOURCE_CAMERA, simulcast = false, width = 640, height = 360 } = {}) {
  const videoSource = new VideoSource(width, height);
  const track = LocalVideoTrack.createVideoTrack(name, videoSource);
  const options = new TrackPublishOptions();
  options.source = source;
  options.simulcast = simulcast;
  const publication = await room.localParticipant.publishTrack(track, options);
  const rgba = new Uint8Array(width * height * 4);
  let n = 0;
  const timer = setInterval(() => {
    n++;
    for (let i = 0; i < rgba.length; i += 4) rgba[i] = (i / 4 + n * 7) & 0xff;
    videoSource.captureFrame(new VideoFrame(rgba, width, height, VideoBufferType.RGBA));
  }, 33);
  return { publication, track, stop: async () => clearInterval(timer) };
}

/**
 * What the server sends `identity` per track, from its down-track counters (GET /admin/rooms/…/subscriptions):
 * [{ track_sid, publisher_identity, kind, subscribed, mid, ssrc, forwarding, packets_sent, packets_sent_total, … }].
 */
export async function serverSubscriptions(server, room, identity) {
  const at = new AccessToken(KEY, SECRET, { identity: 'test-admin', ttl: '1m' });
  at.addGrant({ roomAdmin: true, room });
  const url = `${server.url}/admin/rooms/${encodeURIComponent(room)}/participants/${encodeURIComponent(identity)}/subscriptions`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${await at.toJwt()}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()).subscriptions;
}

/** Waits until the server's packet total for (identity, trackSid) stops moving: returns it. */
export async function frozenTotal(server, room, identity, trackSid, { settleMs = 600, timeoutMs = 5000 } = {}) {
  const total = async () => (await serverSubscriptions(server, room, identity)).find((s) => s.track_sid === trackSid)?.packets_sent_total ?? 0;
  const deadline = Date.now() + timeoutMs;
  let last = await total();
  for (;;) {
    await new Promise((r) => setTimeout(r, settleMs));
    const now = await total();
    if (now === last) return now;
    if (Date.now() > deadline) throw new Error(`packets to ${identity} for ${trackSid} still moving after ${timeoutMs} ms (${last} -> ${now})`);
    last = now;
  }
}
