import { describe, expect, it } from 'vitest';
import { fillUniform, hashString, streamKey, uint32At, uniformAt, indexAt } from './random.js';

describe('counter-based random numbers', () => {
  const n = 200_000;
  const draws = fillUniform(new Float32Array(n), streamKey(42, 3, hashString('spread/infect')));

  it('are uniform on (0, 1): strictly inside, mean 1/2, variance 1/12, flat histogram', () => {
    let sum = 0;
    let sq = 0;
    const bins = new Array(10).fill(0);
    let min = 1;
    let max = 0;
    for (const u of draws) {
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
      sq += u * u;
      bins[Math.floor(u * 10)]++;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
    // chi-square with 9 degrees of freedom: 99.9th percentile is 27.9
    const chi2 = bins.reduce((acc, b) => acc + (b - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('are a pure function of (seed, step, stream, index)', () => {
    const key = streamKey(42, 3, hashString('spread/infect'));
    expect(uniformAt(key, 12345)).toBe(draws[12345]);
    const offset = fillUniform(new Float32Array(10), key, 500);
    expect(Array.from(offset)).toEqual(Array.from(draws.subarray(500, 510)));
  });

  it('differ between seeds, steps and streams, with no correlation', () => {
    const keys = [streamKey(43, 3, hashString('spread/infect')), streamKey(42, 4, hashString('spread/infect')), streamKey(42, 3, hashString('spread/recover'))];
    for (const key of keys) {
      const other = fillUniform(new Float32Array(n), key);
      let cov = 0;
      for (let i = 0; i < n; i++) cov += (draws[i]! - 0.5) * (other[i]! - 0.5);
      const corr = cov / n / (1 / 12);
      expect(Math.abs(corr)).toBeLessThan(4 / Math.sqrt(n));
    }
  });

  it('adjacent indices are not serially correlated', () => {
    let cov = 0;
    for (let i = 1; i < n; i++) cov += (draws[i]! - 0.5) * (draws[i - 1]! - 0.5);
    expect(Math.abs(cov / n / (1 / 12))).toBeLessThan(4 / Math.sqrt(n));
  });

  it('uint32At spreads over the whole range', () => {
    const key = streamKey(1, 0, 7);
    let high = 0;
    for (let i = 0; i < 10_000; i++) if (uint32At(key, i) >= 2 ** 31) high++;
    expect(Math.abs(high - 5000)).toBeLessThan(250);
  });
});

describe('indexAt', () => {
  it('equals uint32At(key, index) % n for n from 1 to 2^32 - 1', () => {
    const ns = [1, 2, 3, 7, 10, 1000, 8_400_000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 4_294_967_291, 2 ** 32 - 1];
    for (const n of ns) {
      for (let index = 0; index < 20_000; index += 7) {
        const key = (index * 2654435761) >>> 0;
        expect(indexAt(key, index, n)).toBe(uint32At(key, index) % n);
      }
    }
  });
});
