// Audio for media tests: publish a sine from an rtc-node participant, collect what a subscriber receives,
// and decide per 10 ms frame whether it is that tone (pure math, no SDK needed for the analysis part).
import {
  AudioFrame, AudioSource, AudioStream, LocalAudioTrack, RoomEvent, TrackKind, TrackPublishOptions, TrackSource,
} from '@livekit/rtc-node';

export const SAMPLE_RATE = 48_000;
export const FRAME_MS = 10;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000; // 480

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Signal analysis
// ---------------------------------------------------------------------------------------------------------------

/**
 * Normalises the input to mono float samples in [-1, 1]: an AudioFrame (first channel), an Int16Array (int16 PCM)
 * or any other numeric array (taken as already in [-1, 1]). Returns { samples: Float64Array, sampleRate? }.
 */
function toFloat(input) {
  if (input && input.data instanceof Int16Array) {
    const { data, channels = 1, sampleRate } = input;
    const n = Math.floor(data.length / channels);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = data[i * channels] / 32768;
    return { samples: out, sampleRate };
  }
  if (input instanceof Int16Array) {
    const out = new Float64Array(input.length);
    for (let i = 0; i < input.length; i++) out[i] = input[i] / 32768;
    return { samples: out };
  }
  return { samples: Float64Array.from(input) };
}

/** Root mean square in full-scale units (a full-scale sine is ~0.707). */
export function rms(input) {
  const { samples } = toFloat(input);
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** True when the RMS level is below `threshold` (default 0.01 full scale, i.e. -40 dBFS). */
export function isSilent(input, threshold = 0.01) {
  return rms(input) < threshold;
}

/** In-place iterative radix-2 complex FFT; re/im lengths must be the same power of two. */
function fft(re, im) {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
}

/** Goertzel power of `x` at an arbitrary (not necessarily bin-centred) frequency. */
function goertzelPower(x, freq, sampleRate) {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * Spectral analysis of one window (e.g. a 10 ms or 20 ms frame): mean removed, Hann window, zero-padded real FFT
 * to find the strongest bin, then a Goertzel golden-section search within ±1 padded bin for the exact peak.
 * Returns { frequency, purity, rms }: `purity` is the share of the window's spectral energy within ±2 analysis
 * bins (the Hann main lobe) of the peak — ~1 for a clean tone, a few percent for white noise.
 */
export function analyse(input, sampleRate) {
  const { samples, sampleRate: frameRate } = toFloat(input);
  const sr = sampleRate ?? frameRate ?? SAMPLE_RATE;
  const n = samples.length;
  const level = rms(samples);
  if (n < 8) return { frequency: NaN, purity: 0, rms: level };
  let mean = 0;
  for (const s of samples) mean += s;
  mean /= n;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (samples[i] - mean) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));

  let size = 1;
  while (size < 4 * n) size <<= 1;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  re.set(x);
  fft(re, im);
  const half = size / 2;
  const power = new Float64Array(half + 1);
  let total = 0;
  let peak = 1;
  for (let k = 0; k <= half; k++) {
    power[k] = re[k] * re[k] + im[k] * im[k];
    total += k === 0 || k === half ? power[k] : 2 * power[k];
    if (k >= 1 && power[k] > power[peak]) peak = k;
  }
  if (total <= 0) return { frequency: NaN, purity: 0, rms: level };

  // Refine: the windowed spectrum is smooth and unimodal around the peak at this resolution.
  const binHz = sr / size;
  let lo = Math.max(0, (peak - 1) * binHz);
  let hi = Math.min(sr / 2, (peak + 1) * binHz);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let pa = goertzelPower(x, a, sr);
  let pb = goertzelPower(x, b, sr);
  for (let i = 0; i < 30 && hi - lo > 0.01; i++) {
    if (pa < pb) {
      lo = a; a = b; pa = pb; b = lo + g * (hi - lo); pb = goertzelPower(x, b, sr);
    } else {
      hi = b; b = a; pb = pa; a = hi - g * (hi - lo); pa = goertzelPower(x, a, sr);
    }
  }
  const frequency = (lo + hi) / 2;

  const lobeHz = (2 * sr) / n; // Hann main lobe half-width: 2 bins of the unpadded window
  let near = 0;
  for (let k = 0; k <= half; k++) {
    if (Math.abs(k * binHz - frequency) <= lobeHz) near += k === 0 || k === half ? power[k] : 2 * power[k];
  }
  return { frequency, purity: near / total, rms: level };
}

/** The frequency (Hz) with the most energy in the window; NaN for an empty or all-constant window. */
export function dominantFrequency(samples, sampleRate) {
  return analyse(samples, sampleRate).frequency;
}

/**
 * True when `frame` (an AudioFrame, Int16Array or float array) is a tone at `frequency` ± `tolerance` Hz:
 * not silent, dominant frequency within tolerance and most of the energy in that peak (so noise is rejected).
 */
export function isTone(frame, frequency, tolerance = 10, { sampleRate, silence = 0.01, minPurity = 0.5 } = {}) {
  const r = analyse(frame, sampleRate);
  return r.rms >= silence && r.purity >= minPurity && Math.abs(r.frequency - frequency) <= tolerance;
}

/** Concatenates the first channel of AudioFrames and re-cuts it into `frameSamples`-long Int16Array frames. */
export function rechunk(frames, frameSamples = FRAME_SAMPLES) {
  let length = 0;
  for (const f of frames) length += Math.floor(f.data.length / (f.channels ?? 1));
  const all = new Int16Array(length);
  let o = 0;
  for (const f of frames) {
    const ch = f.channels ?? 1;
    if (ch === 1) {
      all.set(f.data, o);
      o += f.data.length;
    } else {
      for (let i = 0; i < f.data.length; i += ch) all[o++] = f.data[i];
    }
  }
  const out = [];
  for (let i = 0; i + frameSamples <= all.length; i += frameSamples) out.push(all.subarray(i, i + frameSamples));
  return out;
}

/** One 10 ms int16 frame of a sine, continuing from `phase`; returns { data, phase }. */
export function sineFrame(frequency, amplitude = 0.5, phase = 0, samples = FRAME_SAMPLES, sampleRate = SAMPLE_RATE) {
  const data = new Int16Array(samples);
  const step = (2 * Math.PI * frequency) / sampleRate;
  for (let i = 0; i < samples; i++) {
    data[i] = Math.round(amplitude * 32767 * Math.sin(phase));
    phase += step;
  }
  return { data, phase: phase % (2 * Math.PI) };
}

// ---------------------------------------------------------------------------------------------------------------
// Publisher
// ---------------------------------------------------------------------------------------------------------------

/**
 * Publishes a microphone track from `room` carrying a sine (`frequency` Hz, `amplitude` of int16 full scale) in
 * 10 ms frames, paced against the wall clock (at most `leadMs` ahead of real time, so the source's own queue
 * never fills up or runs dry). Runs until `stop()` or for `durationMs` if given.
 * Returns { publication, track, source, framesSent, startedAt, done, stop() }.
 */
export async function publishSine(room, { frequency = 440, amplitude = 0.5, name = 'sine', durationMs = Infinity, leadMs = 40, source: trackSource = TrackSource.SOURCE_MICROPHONE } = {}) {
  const source = new AudioSource(SAMPLE_RATE, 1);
  const track = LocalAudioTrack.createAudioTrack(name, source);
  const options = new TrackPublishOptions();
  options.source = trackSource;
  let publication;
  try {
    publication = await room.localParticipant.publishTrack(track, options);
  } catch (err) {
    await track.close(false).catch(() => {});
    await source.close().catch(() => {});
    throw err;
  }

  const state = { publication, track, source, framesSent: 0, startedAt: performance.now(), error: null };
  let stopped = false;
  state.done = (async () => {
    let phase = 0;
    const t0 = state.startedAt;
    while (!stopped && state.framesSent * FRAME_MS < durationMs) {
      const ahead = t0 + state.framesSent * FRAME_MS - performance.now();
      if (ahead > leadMs) {
        await sleep(ahead - leadMs);
        continue;
      }
      const frame = sineFrame(frequency, amplitude, phase);
      phase = frame.phase;
      // a fresh buffer per frame: protoInfo() hands the whole underlying ArrayBuffer to the FFI
      await source.captureFrame(new AudioFrame(frame.data, SAMPLE_RATE, 1, FRAME_SAMPLES));
      state.framesSent++;
    }
  })().catch((err) => {
    if (!stopped) state.error = err;
  });

  state.stop = async ({ unpublish = true } = {}) => {
    stopped = true;
    await state.done;
    if (unpublish && publication.sid) await room.localParticipant.unpublishTrack(publication.sid).catch(() => {});
    await track.close(false).catch(() => {});
    await source.close().catch(() => {});
  };
  return state;
}

// ---------------------------------------------------------------------------------------------------------------
// Subscriber
// ---------------------------------------------------------------------------------------------------------------

/**
 * Records every TrackPublished and TrackSubscribed on `room` and reads each subscribed audio track through an AudioStream
 * (48 kHz mono by default). Tracks already subscribed when this is called are picked up too.
 * Returns { published: [{ sid, kind, identity, at }], subscriptions: [{ sid, kind, identity, at }], streams: Map<sid, { identity, frames, firstFrameAt }>,
 * stop() }; each collected frame is { data: Int16Array, sampleRate, channels, samplesPerChannel, at }.
 */
export function collectAudio(room, { sampleRate = SAMPLE_RATE, numChannels = 1 } = {}) {
  const record = { published: [], subscriptions: [], streams: new Map() };
  const readers = [];
  const loops = [];
  let stopped = false;

  const onSubscribed = (track, publication, participant) => {
    const sid = publication?.sid ?? track.sid;
    if (record.subscriptions.some((s) => s.sid === sid)) return;
    record.subscriptions.push({ sid, kind: track.kind, identity: participant.identity, at: Date.now() });
    if (track.kind !== TrackKind.KIND_AUDIO || stopped) return;
    const entry = { identity: participant.identity, frames: [], firstFrameAt: null };
    record.streams.set(sid, entry);
    const reader = new AudioStream(track, { sampleRate, numChannels }).getReader();
    readers.push(reader);
    loops.push((async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = performance.now();
        entry.firstFrameAt ??= at;
        entry.frames.push({ data: value.data, sampleRate: value.sampleRate, channels: value.channels, samplesPerChannel: value.samplesPerChannel, at });
      }
    })().catch(() => {}));
  };
  const onPublished = (publication, participant) =>
    record.published.push({ sid: publication.sid, kind: publication.kind, identity: participant.identity, at: Date.now() });
  room.on(RoomEvent.TrackPublished, onPublished);
  room.on(RoomEvent.TrackSubscribed, onSubscribed);
  for (const participant of room.remoteParticipants.values()) {
    for (const publication of participant.trackPublications.values()) {
      onPublished(publication, participant);
      if (publication.subscribed && publication.track) onSubscribed(publication.track, publication, participant);
    }
  }

  record.stop = async () => {
    stopped = true;
    room.off(RoomEvent.TrackSubscribed, onSubscribed);
    room.off(RoomEvent.TrackPublished, onPublished);
    for (const reader of readers) await reader.cancel().catch(() => {});
    await Promise.all(loops);
  };
  return record;
}

/**
 * Judges a received stream against a tone: drops everything before the first non-silent 10 ms frame, takes the
 * next `windowMs`, and counts tone frames. Returns { frames, toneFrames, toneRatio, expected, frequencies }.
 */
export function judgeTone(frames, { frequency = 440, tolerance = 10, windowMs = 5000, sampleRate = SAMPLE_RATE } = {}) {
  const frameSamples = (sampleRate * FRAME_MS) / 1000;
  const chunks = rechunk(frames, frameSamples);
  const first = chunks.findIndex((c) => !isSilent(c));
  const expected = windowMs / FRAME_MS;
  const window = first < 0 ? [] : chunks.slice(first, first + expected);
  const results = window.map((c) => analyse(c, sampleRate));
  const toneFrames = window.filter((c) => isTone(c, frequency, tolerance, { sampleRate })).length;
  return {
    frames: window.length,
    expected,
    toneFrames,
    toneRatio: window.length ? toneFrames / window.length : 0,
    frequencies: results.map((r) => Math.round(r.frequency)),
  };
}
