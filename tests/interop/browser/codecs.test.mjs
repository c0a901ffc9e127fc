// H.264, VP9 and AV1 between two Chromium livekit-client participants through Starling: the publisher sends its fake
// camera (1280x720) with `videoCodec` set, keeping livekit-client's defaults (H.264 with simulcast layers, VP9/AV1 as
// one SVC stream with scalabilityMode L3T3_KEY); the subscriber must decode that codec (its inbound-rtp codec), at a
// steady frame rate and a sane size, and decoding must resume after the publisher mutes and unmutes (the server waits
// for a real keyframe of that codec). A codec this Chromium cannot encode is skipped with the reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startServer } from '../lib/server.mjs';
import { token } from '../lib/rtc.mjs';
import { startBrowser } from '../lib/browser.mjs';

const paths = [{ name: 'v1', rtcYaml: '' }, { name: 'v0', rtcYaml: '  single_peer_connection: false\n' }];
const codecs = [
  { codec: 'h264', mime: 'video/h264', simulcast: true },
  { codec: 'vp9', mime: 'video/vp9', simulcast: false },
  { codec: 'av1', mime: 'video/av1', simulcast: false },
];

for (const path of paths) {
  describe(`video codecs between Chromium participants (${path.name})`, () => {
    let server;
    let browser;

    before(async () => {
      server = await startServer({ rtcYaml: path.rtcYaml });
      browser = await startBrowser();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
      if (process.env.STARLING_SHOW_SERVER_LOG) console.log(server?.output());
    });

    for (const { codec, mime, simulcast } of codecs) {
      test(`${codec}: the subscriber decodes the codec published`, { timeout: 90_000 }, async (t) => {
        const room = `codec-${codec}-${path.name}`;
        const publisher = await browser.newClient(`publisher-${room}`);
        const canEncode = await publisher.page.evaluate(
          (m) => RTCRtpSender.getCapabilities('video').codecs.some((c) => c.mimeType.toLowerCase() === m), mime);
        if (!canEncode) {
          t.skip(`this Chromium cannot encode ${mime} (not in RTCRtpSender.getCapabilities('video'))`);
          return;
        }

        const subscriber = await browser.newClient(`subscriber-${room}`);
        const dump = () => { publisher.dumpLogs(); subscriber.dumpLogs(); };
        try {
          await subscriber.connect(server.wsUrl, await token('subscriber', room), { roomOptions: { adaptiveStream: false, dynacast: false } });
          await subscriber.page.evaluate(() => {
            window.videoPub = null;
            window.harness.room.on('trackSubscribed', (track, pub) => { if (track.kind === 'video') window.videoPub = pub; });
          });
          await publisher.connect(server.wsUrl, await token('publisher', room), { roomOptions: { dynacast: true } });
          await publisher.page.evaluate(([c, s]) => window.harness.room.localParticipant.setCameraEnabled(
            true, { resolution: window.LivekitClient.VideoPresets.h720.resolution }, { videoCodec: c, simulcast: s }), [codec, simulcast]);

          // the subscriber's decoded video: frames, size and the negotiated codec of its inbound-rtp
          const received = () => subscriber.page.evaluate(async () => {
            const track = window.videoPub?.track;
            if (!track?.receiver) return null;
            const stats = await track.receiver.getStats();
            for (const r of stats.values()) {
              if (r.type === 'inbound-rtp' && r.kind === 'video') {
                return {
                  at: performance.now(), frames: r.framesDecoded ?? 0, width: r.frameWidth ?? 0, height: r.frameHeight ?? 0,
                  mimeType: stats.get(r.codecId)?.mimeType ?? null, fmtp: stats.get(r.codecId)?.sdpFmtpLine ?? null,
                  keyFrames: r.keyFramesDecoded ?? 0,
                };
              }
            }
            return null;
          });
          // what the publisher sends: one entry per outbound video stream
          const sent = () => publisher.page.evaluate(async () => {
            const out = [];
            for (const pc of window.__pcs) {
              const stats = await pc.getStats();
              for (const r of stats.values()) {
                if (r.type === 'outbound-rtp' && r.kind === 'video' && (r.framesSent ?? 0) > 0) {
                  out.push({ rid: r.rid ?? null, mimeType: stats.get(r.codecId)?.mimeType ?? null, width: r.frameWidth ?? 0,
                    height: r.frameHeight ?? 0, scalabilityMode: r.scalabilityMode ?? null, encoder: r.encoderImplementation ?? null });
                }
              }
            }
            return out;
          });
          // ≥ 10 fps over a 2 s window (the window restarts while the rate is still lower, e.g. right after start)
          const steadyRate = async (reason) => {
            let start = await received();
            return eventually(async () => {
              const now = await received();
              const seconds = (now.at - start.at) / 1000;
              if (seconds < 2) return null;
              const fps = (now.frames - start.frames) / seconds;
              if (fps >= 10 && now.width > 0) return { ...now, fps: Math.round(fps * 10) / 10 };
              start = now;
              return null;
            }, 20_000, reason);
          };

          const first = await eventually(async () => { const r = await received(); return r?.frames > 10 ? r : null; }, 20_000, 'the subscriber decodes the camera');
          assert.equal(first.mimeType?.toLowerCase(), mime, `the subscriber's inbound-rtp codec is ${mime}`);
          const steady = await steadyRate('the subscriber decodes at least 10 fps');
          assert.ok(steady.width >= 160 && steady.height >= 90, `a sane frame size (${steady.width}x${steady.height})`);
          assert.ok(Math.abs(steady.width / steady.height - 16 / 9) < 0.1, `16:9 like the camera (${steady.width}x${steady.height})`);
          const publishing = await sent();
          assert.ok(publishing.every((s) => s.mimeType?.toLowerCase() === mime), `the publisher sends ${mime}: ${JSON.stringify(publishing)}`);
          console.log(`${path.name} ${codec}: subscriber decodes ${steady.mimeType} (${steady.fmtp}) ${steady.width}x${steady.height} at ${steady.fps} fps`
            + `; publisher sends ${JSON.stringify(publishing)}`);

          // mute and unmute: forwarding stops, then resumes at a keyframe of this codec
          await publisher.page.evaluate(() => window.harness.room.localParticipant.getTrackPublication(window.LivekitClient.Track.Source.Camera).mute());
          await eventually(() => subscriber.page.evaluate(() => window.videoPub?.isMuted), 10_000, 'the subscriber sees the track muted');
          const muted = await received();
          await publisher.page.evaluate(() => window.harness.room.localParticipant.getTrackPublication(window.LivekitClient.Track.Source.Camera).unmute());
          await eventually(async () => (await received()).keyFrames > muted.keyFrames, 15_000, 'a new keyframe decoded after unmute');
          const resumed = await steadyRate('decoding resumes after unmute at 10 fps or more');
          console.log(`${path.name} ${codec} after unmute: ${resumed.width}x${resumed.height} at ${resumed.fps} fps, keyframes decoded ${resumed.keyFrames}`);
        } catch (err) {
          dump();
          throw err;
        }
      });
    }
  });
}
