// A UDP relay between WebRTC clients and the server's media port, for impairment tests (the kernel here has no
// netem): clients reach the relay at the address the server advertises, the relay forwards each client's datagrams
// from its own socket to the server's real port, and the server's replies back. It can drop a seeded random share
// of the server-to-client SRTP/SRTCP datagrams (loss on the path to the clients), and inject datagrams into the
// server from a client's own path (so they reach that client's session and its SRTP context). It can also shape the
// server-to-client path like a bottleneck link: a rate limit with a drop-tail queue (congestion for the server's
// bandwidth estimation toward subscribers).
import dgram from 'node:dgram';
import { startServer, testHost } from './server.mjs';

/** A deterministic generator so a failing run can be replayed. */
export function seededRandom(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const isRtpOrRtcp = (b) => b.length >= 12 && b[0] >= 128 && b[0] <= 191; // RFC 7983

/**
 * Listens on `listenHost:listenPort` and forwards to `serverHost:serverPort`.
 * Returns { downLoss, downRateKbps, downQueueMs, stats, inject(datagrams), close() }; set `relay.downLoss` (0..1) to
 * start dropping, `relay.downRateKbps` (0 = unlimited) to limit each client's downstream RTP/RTCP to that rate, queuing
 * up to `relay.downQueueMs` and dropping what does not fit.
 */
export async function startUdpRelay({ listenHost, listenPort, serverHost, serverPort, seed = 5 }) {
  const random = seededRandom(seed);
  const front = dgram.createSocket('udp4');
  const clients = new Map(); // "addr:port" -> { socket, address, port }
  const relay = {
    downLoss: 0,
    downRateKbps: 0,
    downQueueMs: 200,
    stats: { up: 0, down: 0, downMedia: 0, downDropped: 0, downShaped: 0, injected: 0, droppedByPayloadType: {} },
    clients,
    /** The client paths the server sent media on in the last second (the selected ICE pairs). */
    activeClients() {
      return [...clients.values()].filter((c) => c.lastMediaAt > performance.now() - 1000);
    },
    /** Sends `datagrams` to the server on every active client path (so they reach that client's session); returns how many. */
    async inject(datagrams) {
      const active = relay.activeClients();
      for (const client of active) {
        for (const d of datagrams) {
          await new Promise((resolve) => client.socket.send(d, serverPort, serverHost, resolve));
          relay.stats.injected++;
        }
      }
      return active.length * datagrams.length;
    },
    async close() {
      for (const c of clients.values()) c.socket.close();
      await new Promise((r) => front.close(r));
    },
  };

  front.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let client = clients.get(key);
    if (!client) {
      const socket = dgram.createSocket('udp4');
      client = { socket, address: rinfo.address, port: rinfo.port, ready: null, lastMediaAt: 0, linkFreeAt: 0 };
      client.ready = new Promise((resolve) => socket.bind(0, serverHost, resolve));
      socket.on('message', (reply) => {
        relay.stats.down++;
        if (isRtpOrRtcp(reply)) {
          relay.stats.downMedia++;
          client.lastMediaAt = performance.now();
          if (relay.downLoss > 0 && random() < relay.downLoss) {
            relay.stats.downDropped++;
            const pt = reply[1] >= 192 && reply[1] <= 223 ? 'rtcp' : reply[1] & 0x7f;
            relay.stats.droppedByPayloadType[pt] = (relay.stats.droppedByPayloadType[pt] ?? 0) + 1;
            return;
          }
          if (relay.downRateKbps > 0) {
            // a bottleneck: each datagram leaves when the link has sent the ones before it; a full queue drops it
            const now = performance.now();
            const queued = Math.max(0, client.linkFreeAt - now);
            if (queued > relay.downQueueMs) {
              relay.stats.downShaped++;
              return;
            }
            client.linkFreeAt = Math.max(client.linkFreeAt, now) + (reply.length * 8) / relay.downRateKbps;
            setTimeout(() => front.send(reply, client.port, client.address), client.linkFreeAt - now);
            return;
          }
        }
        front.send(reply, client.port, client.address);
      });
      clients.set(key, client);
    }
    relay.stats.up++;
    client.ready.then(() => client.socket.send(msg, serverPort, serverHost));
  });
  await new Promise((resolve, reject) => {
    front.once('error', reject);
    front.bind(listenPort, listenHost, resolve);
  });
  return relay;
}

/**
 * A server on loopback that advertises the test host, where a relay listens in front of its media port (so clients'
 * media goes through the relay). `serverOptions` go to startServer. Returns { server, relay }.
 */
export async function startServerBehindRelay({ seed, ...serverOptions } = {}) {
  const server = await startServer({ ...serverOptions, bindHost: '127.0.0.1', nodeIp: testHost });
  try {
    const relay = await startUdpRelay({ listenHost: testHost, listenPort: server.udpPort, serverHost: '127.0.0.1', serverPort: server.udpPort, seed });
    return { server, relay };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
