import { describe, expect, it } from 'vitest';
import { H5N1_FACTS } from './data.js';
import { H5N1_PARAMETERS, OBSERVED_LAYERS_CULLED_PER_YEAR } from './parameters.js';
import { H5N1_PATHS as P } from './paths.js';
import { h5n1Sim, readState, total } from './runtime.fixture.js';

const read = readState;

/** No wild birds, no farm-to-farm spread: only the seeded farms are ever infected. */
const isolated = { wildBirdRate: 0, farmToFarmRate: 0 };

describe('epi/h5n1 restocking ramp', () => {
  it('culled farms get their first birds restockStartDays after culling and refill linearly until restockDays', async () => {
    const [start, full] = [10, 30];
    const sim = h5n1Sim({ farms: 100, seed: 6, params: { ...isolated, seedFarms: 10, restockStartDays: start, restockDays: full } });
    await sim.ready();
    const seeded = read(sim, P.farmInfected);
    const flock = read(sim, P.flockSize);
    const seededBirds = seeded.reduce((acc, s, f) => acc + s * flock[f]!, 0);
    const all = H5N1_FACTS.tableEggLayers.value;
    const { metrics } = await sim.run({ steps: 50 });
    const cullDay = metrics.culledFarms!.findIndex((v) => v > 0);
    expect(metrics.culledFarms![cullDay]).toBe(10);
    expect(metrics.flocksRestocked![cullDay + start]).toBe(10);
    expect(total(metrics.flocksRestocked!)).toBe(10);
    expect(metrics.emptyFarms!.slice(cullDay, cullDay + start).every((v) => v === 10)).toBe(true);
    // birds present: empty, then (k + 1) / (full - start) of each refilling flock k days after the first placement
    const layers = metrics.layersInProduction!;
    expect(layers[cullDay]! / (all - seededBirds)).toBeCloseTo(1, 6);
    for (let k = 0; k < full - start; k++) {
      const expected = all - seededBirds + (seededBirds * Math.min(1, (k + 1) / (full - start)));
      expect(layers[cullDay + start + k]! / expected).toBeCloseTo(1, 5);
    }
    expect(layers.at(-1)! / all).toBeCloseTo(1, 6);
    // counters and shares are back to "never culled"
    expect(read(sim, P.daysSinceCull).every((d) => d === 0)).toBe(true);
    expect(read(sim, P.stock).every((s) => s === 1)).toBe(true);
    sim.dispose();
  });

  it('a farm culled again while refilling loses only the birds it had', async () => {
    const sim = h5n1Sim({ farms: 60, seed: 3, params: { ...isolated, seedFarms: 60, restockStartDays: 5, restockDays: 100, detectionDelay: 2, cullingDelay: 0 } });
    await sim.ready();
    const flock = read(sim, P.flockSize);
    for (let day = 0; day < 12; day++) await sim.step();
    // every farm was culled on day 1 and got its first birds on day 6: reinfect them all now
    const stock = read(sim, P.stock);
    expect(stock.every((s) => s > 0 && s < 0.1)).toBe(true);
    sim.setParams({ wildBirdRate: 1, startDay: 104, springAmplitude: 100 });
    let birds = 0;
    let culled = 0;
    for (let day = 0; day < 6 && culled < 60; day++) {
      const before = read(sim, P.stock);
      const c0 = read(sim, P.farmCulled);
      const m = await sim.step();
      const c1 = read(sim, P.farmCulled);
      c1.forEach((now, f) => { if (now === 1 && c0[f] === 0) birds += flock[f]! * before[f]!; });
      expect(Math.abs(m.birdsCulled! - c1.reduce((acc, now, f) => acc + (now === 1 && c0[f] === 0 ? flock[f]! * before[f]! : 0), 0))).toBeLessThanOrEqual(1e-3 * Math.max(1, m.birdsCulled!));
      culled += m.culledFarms!;
    }
    expect(culled).toBeGreaterThan(0);
    expect(birds).toBeLessThan(0.15 * total(flock));
    sim.dispose();
  });
});

describe('epi/h5n1 flock-size susceptibility', () => {
  it('infection risk grows with flock size as flockSize^flockSizeExponent (introductions in the larger half against the hazard)', async () => {
    const farms = 3000;
    const rate = 2e-3;
    const steps = 30;
    const weights = [1, 1.44, 1, 1]; // the default flyway pressures
    const shares: number[] = [];
    for (const flockSizeExponent of [0, 1]) {
      const sim = h5n1Sim({ farms, population: false, seed: 4, params: { wildBirdRate: rate, farmToFarmRate: 0, startDay: 300, restockDays: 3650, flockSizeExponent } });
      await sim.ready();
      const [flock, flyway] = [read(sim, P.flockSize), read(sim, P.flyway)];
      const median = [...flock].sort((a, b) => a - b)[farms / 2]!;
      const { metrics } = await sim.run({ steps });
      const hit = read(sim, P.farmSusceptible).map((s) => 1 - s);
      expect(total(metrics.wildBirdIntroductions!)).toBe(total(hit));
      // independent expectation: a farm is hit at most once, with probability
      // 1 - exp(-rate x susceptibility x its flyway's summed pressure)
      const season = total(metrics.migrationPressure!) / (total(weights) / weights.length);
      const meanFlock = total(flock) / farms;
      const raw = flock.map((x) => (x / meanFlock) ** flockSizeExponent);
      const norm = total(raw) / farms;
      const p = flock.map((_, f) => 1 - Math.exp(-rate * (raw[f]! / norm) * weights[flyway[f]!]! * season));
      const inLarge = (values: number[]) => values.reduce((acc, v, f) => acc + (flock[f]! >= median ? v : 0), 0);
      const sd = Math.sqrt(inLarge(p.map((q) => q * (1 - q))));
      expect(inLarge(p)).toBeGreaterThan(50);
      expect(Math.abs(inLarge(hit) - inLarge(p))).toBeLessThan(4 * sd);
      expect(Math.abs(total(hit) - total(p))).toBeLessThan(4 * Math.sqrt(total(p.map((q) => q * (1 - q)))));
      shares.push(inLarge(hit) / total(hit));
      sim.dispose();
    }
    expect(shares[1]).toBeGreaterThan(shares[0]! + 0.2);
  });

  it('culls at the observed scale with the defaults: 10 seeds x 3 years on us-layer-farms', async () => {
    const years = 3;
    let birds = 0;
    let flocks = 0;
    const seeds = 10;
    for (let seed = 1; seed <= seeds; seed++) {
      const sim = h5n1Sim({ farms: 320, seed });
      const { metrics } = await sim.run({ steps: 365 * years });
      birds += total(metrics.birdsCulled!);
      flocks += total(metrics.culledFarms!);
      sim.dispose();
    }
    const birdsPerYear = birds / seeds / years;
    const flocksPerYear = flocks / seeds / years;
    // ~40M layers culled in each of 2022, 2024 and 2025 (34.65M a year over 2022-2025 with the quiet 2023)
    expect(Math.abs(birdsPerYear / 40e6 - 1)).toBeLessThan(0.25);
    expect(Math.abs(birdsPerYear / OBSERVED_LAYERS_CULLED_PER_YEAR - 1)).toBeLessThan(0.15);
    // mean culled flock within 20% of the 1.29M mean of the affected layer flocks of 2022-2024
    expect(Math.abs(birds / flocks / H5N1_FACTS.affectedMeanFlockSize.value - 1)).toBeLessThan(0.2);
    expect(flocksPerYear).toBeGreaterThanOrEqual(18);
    expect(flocksPerYear).toBeLessThanOrEqual(28);
    expect(H5N1_PARAMETERS.flockSizeExponent.default).toBeGreaterThan(0);
  }, 300_000);
});
