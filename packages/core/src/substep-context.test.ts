import { describe, expect, it } from 'vitest';
import { fillUniformClocked, hashString, streamKey } from './random.js';
import { randomDraws } from './substep-context.js';
import { tf } from './tf.js';

const n = 50_000;
const count = () => n;
const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe('clocked events (SampleOptions.clock)', () => {
  const p = tf.fill([n], 0.3);
  const clock = tf.tensor1d(Float32Array.from({ length: n }, (_, i) => i % 40));

  it('an element draws the same at the same clock whatever the step, and differently at another clock', () => {
    const at3 = arr(randomDraws(11, 3, 'disease', count).sample.bernoulli(p, { clock, stream: 'exit' }));
    const at9 = arr(randomDraws(11, 9, 'disease', count).sample.bernoulli(p, { clock, stream: 'exit' }));
    expect(at9).toEqual(at3);
    const later = arr(randomDraws(11, 3, 'disease', count).sample.bernoulli(p, { clock: tf.add(clock, 1), stream: 'exit' }));
    const same = later.filter((v, i) => v === at3[i]).length / n;
    // independent draws agree with probability 0.3^2 + 0.7^2 = 0.58
    expect(same).toBeGreaterThan(0.56);
    expect(same).toBeLessThan(0.6);
  });

  it('draws uniformAt(streamKey(seed, 2^32 - 1, stream), clock * n + i): another seed or stream, other draws', () => {
    const key = streamKey(11, 0xffffffff, hashString('disease/exit'));
    const u = fillUniformClocked(new Float32Array(n), key, clock.dataSync());
    expect(arr(randomDraws(11, 5, 'disease', count).sample.hazard(0.5, tf.fill([n], 2), { clock, stream: 'exit' }))).toEqual(Array.from(u, (v) => (v < 1 - Math.exp(-1) ? 1 : 0)));
    const base = arr(randomDraws(11, 5, 'disease', count).sample.bernoulli(p, { clock, stream: 'exit' }));
    for (const other of [randomDraws(12, 5, 'disease', count).sample.bernoulli(p, { clock, stream: 'exit' }), randomDraws(11, 5, 'disease', count).sample.bernoulli(p, { clock, stream: 'onset' })]) {
      expect(arr(other).filter((v, i) => v === base[i]).length / n).toBeLessThan(0.6);
    }
  });

  it('without a clock the draws change with the step; the event frequency is p either way', () => {
    const a = arr(randomDraws(11, 3, 'disease', count).sample.bernoulli(p, { stream: 'exit' }));
    const b = arr(randomDraws(11, 4, 'disease', count).sample.bernoulli(p, { stream: 'exit' }));
    expect(a.filter((v, i) => v === b[i]).length / n).toBeLessThan(0.6);
    const clocked = arr(randomDraws(11, 3, 'disease', count).sample.bernoulli(p, { clock, stream: 'exit' }));
    const se = Math.sqrt((0.3 * 0.7) / n);
    for (const draws of [a, clocked]) expect(Math.abs(draws.reduce((s, v) => s + v, 0) / n - 0.3)).toBeLessThan(4 * se);
  });
});

describe('first-passage events (ctx.sample.threshold)', () => {
  const running = (v: number) => tf.fill([n], v);

  it('an element compares one uniform with the running probability at every step: it passes once, in the law of daily draws', () => {
    // running probability 1 - exp(-0.1 t): passed by step t with probability P_t, newly with P_t - P_t-1
    let passedBefore = new Array<number>(n).fill(0);
    for (let t = 0; t < 6; t++) {
      const P = 1 - Math.exp(-0.1 * (t + 1));
      const now = arr(randomDraws(11, t, 'disease', count).sample.threshold(running(P), { stream: 'infect' }));
      // monotone: whoever passed before is still past the (higher) threshold
      expect(passedBefore.every((v, i) => v === 0 || now[i] === 1)).toBe(true);
      const share = now.reduce((a, b) => a + b, 0) / n;
      expect(Math.abs(share - P)).toBeLessThan(4 * Math.sqrt((P * (1 - P)) / n));
      passedBefore = now;
    }
  });

  it('is keyed apart from clocked and step streams, and takes no clock', () => {
    const key = streamKey(11, 0xffffffff, hashString('disease/threshold/infect'));
    const u = fillUniformClocked(new Float32Array(n), key, new Float32Array(n));
    expect(arr(randomDraws(11, 7, 'disease', count).sample.threshold(running(0.4), { stream: 'infect' }))).toEqual(Array.from(u, (v) => (v < Math.fround(0.4) ? 1 : 0)));
    const clocked = arr(randomDraws(11, 7, 'disease', count).sample.bernoulli(running(0.4), { clock: 0, stream: 'infect' }));
    expect(clocked.filter((v, i) => v === (u[i]! < Math.fround(0.4) ? 1 : 0)).length / n).toBeLessThan(0.6);
    expect(() => randomDraws(11, 7, 'disease', count).sample.threshold(0.4, { clock: 0 } as never)).toThrow(/takes no clock/);
    expect(() => randomDraws(11, 7, 'disease', count).sample.threshold(0.4, { scale: 'rate' as 'hazard' })).toThrow(/scale expected 'probability' or 'hazard', received "rate"/);
    // scale 'hazard': the same uniforms against 1 - exp(-H)
    const H = -Math.log(1 - 0.4);
    expect(arr(randomDraws(11, 7, 'disease', count).sample.threshold(running(H), { stream: 'infect', scale: 'hazard' }))).toEqual(Array.from(u, (v) => (v < 1 - Math.exp(-Math.fround(H)) ? 1 : 0)));
  });
});
