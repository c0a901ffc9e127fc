// The tone analysis in lib/audio.mjs on synthetic signals (pure math: runs anywhere, no server, no netns).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioFrame } from '@livekit/rtc-node';
import { analyse, dominantFrequency, isSilent, isTone, judgeTone, rechunk, rms, sineFrame } from './audio.mjs';

const SR = 48_000;

/** Deterministic PRNG (mulberry32) so the noise cases never flake. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function noise(samples, amplitude, seed) {
  const r = prng(seed);
  return Int16Array.from({ length: samples }, () => Math.round((r() * 2 - 1) * amplitude * 32767));
}

function tone(freq, samples, { amplitude = 0.5, phase = 0, noiseAmp = 0, seed = 1 } = {}) {
  const { data } = sineFrame(freq, amplitude, phase, samples, SR);
  if (noiseAmp) {
    const n = noise(samples, noiseAmp, seed);
    for (let i = 0; i < samples; i++) data[i] = Math.max(-32768, Math.min(32767, data[i] + n[i]));
  }
  return data;
}

describe('dominantFrequency', () => {
  test('a 440 Hz sine is 440 Hz in 10 ms and 20 ms windows at any phase', () => {
    for (const samples of [480, 960]) {
      for (const phase of [0, 0.7, 1.9, 3.1, 5]) {
        const f = dominantFrequency(tone(440, samples, { phase }), SR);
        assert.ok(Math.abs(f - 440) < 2, `${samples} samples, phase ${phase}: ${f}`);
      }
    }
  });

  test('other frequencies are measured where they are (>= 2 cycles per window)', () => {
    for (const freq of [200, 300, 455, 1000, 3000, 8000, 15000]) {
      const f = dominantFrequency(tone(freq, 480), SR);
      assert.ok(Math.abs(f - freq) < 3, `${freq} Hz measured as ${f}`);
    }
  });

  test('accepts AudioFrames, Int16Arrays and float arrays', () => {
    const data = tone(440, 480);
    const frame = new AudioFrame(data, SR, 1, 480);
    const floats = Array.from(data, (s) => s / 32768);
    for (const input of [frame, data, floats]) assert.ok(Math.abs(dominantFrequency(input, SR) - 440) < 2);
    assert.ok(Math.abs(dominantFrequency(frame) - 440) < 2, 'the frame carries its own sample rate');
  });

  test('uses the first channel of an interleaved stereo frame', () => {
    const left = tone(440, 480);
    const right = tone(1000, 480);
    const data = new Int16Array(960);
    for (let i = 0; i < 480; i++) { data[2 * i] = left[i]; data[2 * i + 1] = right[i]; }
    assert.ok(Math.abs(dominantFrequency(new AudioFrame(data, SR, 2, 480)) - 440) < 2);
  });
});

describe('isTone / isSilent', () => {
  test('440 Hz is detected, also quiet and with some noise on top', () => {
    assert.ok(isTone(tone(440, 480), 440, 10));
    assert.ok(isTone(tone(440, 480, { amplitude: 0.05 }), 440, 10));
    for (let seed = 1; seed <= 20; seed++) {
      assert.ok(isTone(tone(440, 480, { noiseAmp: 0.05, seed }), 440, 10), `440 Hz + noise, seed ${seed}`);
    }
  });

  test('1 kHz is not 440 Hz, and neither is 455 Hz with ±10 Hz', () => {
    assert.ok(!isTone(tone(1000, 480), 440, 10));
    assert.ok(isTone(tone(1000, 480), 1000, 10));
    assert.ok(!isTone(tone(455, 480), 440, 10));
    assert.ok(isTone(tone(445, 480), 440, 10));
  });

  test('silence is rejected', () => {
    const zero = new Int16Array(480);
    assert.equal(rms(zero), 0);
    assert.ok(isSilent(zero));
    assert.ok(!isTone(zero, 440, 10));
    assert.ok(Number.isNaN(dominantFrequency(zero, SR)));
    const hiss = tone(440, 480, { amplitude: 0.002 }); // -54 dBFS: a decoder's comfort noise level
    assert.ok(isSilent(hiss));
    assert.ok(!isTone(hiss, 440, 10));
    assert.ok(!isSilent(tone(440, 480)));
  });

  test('white noise is rejected, whatever its level', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const n = noise(480, seed % 2 ? 0.5 : 0.1, seed);
      assert.ok(!isSilent(n), 'noise is not silence');
      assert.ok(!isTone(n, 440, 10), `noise seed ${seed}`);
      assert.ok(analyse(n, SR).purity < 0.3, `noise seed ${seed} purity ${analyse(n, SR).purity}`);
    }
  });
});

describe('judgeTone over a received stream', () => {
  /** A stream in `frameSamples`-long frames: `silentMs` of silence, then `ms` of a continuous sine. */
  function stream(freq, ms, { silentMs = 300, frameSamples = 480 } = {}) {
    const total = ((silentMs + ms) * SR) / 1000;
    const all = new Int16Array(total);
    const { data } = sineFrame(freq, 0.5, 0, (ms * SR) / 1000, SR);
    all.set(data, (silentMs * SR) / 1000);
    const frames = [];
    for (let i = 0; i < total; i += frameSamples) {
      frames.push(new AudioFrame(all.slice(i, i + frameSamples), SR, 1, Math.min(frameSamples, total - i)));
    }
    return frames;
  }

  test('rechunk re-cuts any frame size into 10 ms frames', () => {
    const chunks = rechunk(stream(440, 1000, { silentMs: 0, frameSamples: 960 }));
    assert.equal(chunks.length, 100);
    assert.ok(chunks.every((c) => c.length === 480));
  });

  test('a 440 Hz stream after leading silence passes, whatever the frame size', () => {
    for (const frameSamples of [480, 960, 441]) {
      const j = judgeTone(stream(440, 5200, { frameSamples }));
      assert.equal(j.frames, 500);
      assert.equal(j.toneRatio, 1, `${frameSamples}-sample frames: ${j.toneFrames}/${j.frames}`);
    }
  });

  test('a 1 kHz stream fails, a short stream is short, an all-silent one has nothing', () => {
    assert.equal(judgeTone(stream(1000, 5000)).toneFrames, 0);
    const short = judgeTone(stream(440, 2000));
    assert.equal(short.frames, 200);
    assert.ok(short.frames < 0.9 * short.expected);
    const none = judgeTone(stream(440, 0, { silentMs: 1000 }));
    assert.equal(none.frames, 0);
    assert.equal(none.toneRatio, 0);
  });
});
