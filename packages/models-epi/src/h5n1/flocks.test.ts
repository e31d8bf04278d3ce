import { fillUniform } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { H5N1_FACTS } from './data.js';
import { FLOCK_SIZE_RANGE, FLYWAY_FARM_SHARES, flywayOf, sampleFlockSizes } from './flocks.js';

const uniforms = (n: number, key = 99) => fillUniform(new Float32Array(n), key);

describe('flock sizes and flyways', () => {
  it('flock sizes are whole birds adding up to exactly the US table-egg layer count, for any farm count', () => {
    for (const n of [1, 7, 320, 50_000]) {
      const sizes = sampleFlockSizes(uniforms(n));
      expect(sizes.every(Number.isInteger)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(H5N1_FACTS.tableEggLayers.value);
    }
    expect(sampleFlockSizes(uniforms(5), 12).reduce((a, b) => a + b, 0)).toBe(12);
    expect(sampleFlockSizes([])).toHaveLength(0);
  });

  it('are heavy-tailed within the bounded range: the mean well above the median, largest / smallest <= the range', () => {
    const sizes = [...sampleFlockSizes(uniforms(20_000))].sort((a, b) => a - b);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const median = sizes[sizes.length >> 1]!;
    expect(mean / median).toBeGreaterThan(1.5);
    expect(sizes.at(-1)! / sizes[0]!).toBeLessThanOrEqual(FLOCK_SIZE_RANGE * 1.0001);
    expect(sizes.at(-1)! / sizes[0]!).toBeGreaterThan(FLOCK_SIZE_RANGE * 0.9);
    // the top 10% of farms hold more than a quarter of the birds
    const top = sizes.slice(Math.floor(sizes.length * 0.9)).reduce((a, b) => a + b, 0);
    expect(top / H5N1_FACTS.tableEggLayers.value).toBeGreaterThan(0.25);
  });

  it('with the default 320 farms, flocks span ~100,000 to several million hens (aeb, thefern_2022)', () => {
    const sizes = sampleFlockSizes(uniforms(320));
    expect(Math.min(...sizes)).toBeGreaterThan(90_000);
    expect(Math.min(...sizes)).toBeLessThan(250_000);
    expect(Math.max(...sizes)).toBeGreaterThan(H5N1_FACTS.largestExampleFlock.value);
  });

  it('flyways follow the farm shares', () => {
    const n = 100_000;
    const counts = [0, 0, 0, 0];
    for (const u of uniforms(n, 5)) counts[flywayOf(u)]! += 1;
    counts.forEach((c, k) => expect(Math.abs(c / n - FLYWAY_FARM_SHARES[k]!)).toBeLessThan(0.01));
    expect(FLYWAY_FARM_SHARES.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
