import { tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { H5N1_FACTS } from './data.js';
import { H5N1_PATHS as P } from './paths.js';
import { h5n1Sim, readState, total } from './runtime.fixture.js';
import { seasonalPressure, type SeasonShape } from './season.js';
import { H5N1_PARAMETERS } from './parameters.js';

const read = readState;

/** No wild birds, no farm-to-farm spread: only the seeded farms are ever infected. */
const isolated = { wildBirdRate: 0, farmToFarmRate: 0 };

describe('epi/h5n1 validation', () => {
  it('no wild-bird pressure and no infected farms at the start: no infected farms and no human cases', async () => {
    for (const params of [{ wildBirdRate: 0 }, { springAmplitude: 0, fallAmplitude: 0, offSeason: 0 }]) {
      const sim = h5n1Sim({ farms: 300, params: { ...params, farmToFarmRate: 1, spilloverRate: 1, humanToHumanRate: 1, startDay: 0 } });
      const { metrics } = await sim.run({ steps: 60 });
      for (const name of ['infectedFarms', 'newInfectedFarms', 'culledFarms', 'birdsCulled', 'humanCases', 'cumulativeHumanCases']) expect(total(metrics[name]!)).toBe(0);
      expect(metrics.layersInProduction!.every((v) => v === H5N1_FACTS.tableEggLayers.value)).toBe(true);
      sim.dispose();
    }
  });

  it('conserves farms and people every day, and the culling series equals the flock sizes of the farms culled that day', async () => {
    const sim = h5n1Sim({ farms: 300, seed: 2, params: { seedFarms: 8, wildBirdRate: 0.01, farmToFarmRate: 0.05, spilloverRate: 0.1, humanToHumanRate: 0.05, restockDays: 15, detectionDelay: 3, startDay: 60 } });
    await sim.ready();
    const flock = read(sim, P.flockSize);
    let culledBefore = read(sim, P.farmCulled);
    let cumulativeHuman = 0;
    let active = 0;
    for (let day = 0; day < 60; day++) {
      const m = await sim.step();
      const [s, i, d, c] = [P.farmSusceptible, P.farmInfected, P.farmDetected, P.farmCulled].map((p) => read(sim, p));
      const [hs, hi, hr] = [P.humanSusceptible, P.humanInfected, P.humanRecovered].map((p) => read(sim, p));
      expect(s!.every((v, f) => [v, i![f]!, d![f]!, c![f]!].every((x) => x === 0 || x === 1) && v + i![f]! + d![f]! + c![f]! === 1)).toBe(true);
      expect(hs!.every((v, p) => v + hi![p]! + hr![p]! === 1 && hi![p]! >= 0 && hr![p]! >= 0)).toBe(true);
      let birds = 0;
      let farms = 0;
      let restocked = 0;
      c!.forEach((now, f) => {
        if (now === 1 && culledBefore[f] === 0) { birds += flock[f]!; farms += 1; }
        if (now === 0 && culledBefore[f] === 1) restocked += 1;
      });
      expect(m.culledFarms).toBe(farms);
      expect(Math.abs(m.birdsCulled! - birds)).toBeLessThanOrEqual(1e-6 * birds);
      expect(m.flocksRestocked).toBe(restocked);
      const empty = c!.reduce((acc, v, f) => acc + v * flock[f]!, 0);
      expect(Math.abs(m.layersInProduction! - (H5N1_FACTS.tableEggLayers.value - empty))).toBeLessThanOrEqual(1e-6 * H5N1_FACTS.tableEggLayers.value);
      cumulativeHuman += m.humanCases!;
      expect(m.cumulativeHumanCases).toBe(cumulativeHuman);
      expect(m.infectedFarms).toBe(total(i!) + total(d!));
      active += m.culledFarms! + m.flocksRestocked!;
      culledBefore = c!;
    }
    expect(active).toBeGreaterThan(20); // the run did cull and restock
    const metrics = sim.metrics();
    expect(metrics.cumulativeBirdsCulled!.at(-1)).toBeCloseTo(total(metrics.birdsCulled!), -2);
    sim.dispose();
  });

  it('detection and culling follow the delays exactly: seeded farms are detected after detectionDelay - 1 days and culled cullingDelay days later', async () => {
    const k = 20;
    for (const [detectionDelay, cullingDelay] of [[2, 1], [6, 1], [10, 3], [4, 0]] as const) {
      const sim = h5n1Sim({ farms: 200, seed: 5, params: { ...isolated, seedFarms: k, detectionDelay, cullingDelay } });
      await sim.ready();
      const seeded = read(sim, P.farmInfected);
      const flock = read(sim, P.flockSize);
      const { metrics } = await sim.run({ steps: 20 });
      // seeded farms were infected the day before step 0
      const days = detectionDelay + cullingDelay - 1;
      expect(total(metrics.infectedFarms!)).toBe(k * days);
      expect(metrics.detectedFarms!.indexOf(k)).toBe(detectionDelay - 1);
      expect(metrics.culledFarms!.indexOf(k)).toBe(days);
      expect(total(metrics.culledFarms!)).toBe(k);
      const birds = seeded.reduce((acc, v, f) => acc + v * flock[f]!, 0);
      expect(metrics.birdsCulled![days]! / birds).toBeCloseTo(1, 6);
      sim.dispose();
    }
  });

  it('a longer detection delay gives more farm-days infected (mean over seeds, with wild birds and farm-to-farm spread)', async () => {
    const farmDays = [];
    for (const detectionDelay of [2, 6, 12]) {
      let sum = 0;
      for (const seed of [1, 2]) {
        const sim = h5n1Sim({ farms: 300, seed, params: { detectionDelay, wildBirdRate: 0.003, farmToFarmRate: 0.02, startDay: 60 } });
        sum += total((await sim.run({ steps: 45 })).metrics.infectedFarms!);
        sim.dispose();
      }
      farmDays.push(sum / 2);
    }
    expect(farmDays[1]).toBeGreaterThan(farmDays[0]! * 1.5);
    expect(farmDays[2]).toBeGreaterThan(farmDays[1]! * 1.5);
  });

  it('a larger farm-to-farm rate never lowers the mean number of infected farms over seeds', async () => {
    const means = [];
    for (const farmToFarmRate of [0, 0.01, 0.04, 0.16]) {
      let sum = 0;
      for (const seed of [11, 12, 13]) {
        const sim = h5n1Sim({ farms: 300, seed, params: { farmToFarmRate, seedFarms: 4, startDay: 300 } });
        sum += total((await sim.run({ steps: 35 })).metrics.newInfectedFarms!);
        sim.dispose();
      }
      means.push(sum / 3);
    }
    for (let j = 1; j < means.length; j++) expect(means[j]).toBeGreaterThanOrEqual(means[j - 1]!);
    expect(means.at(-1)).toBeGreaterThan(means[0]! + 20);
  });

  it('introductions concentrate in the migration seasons, as the seasonal pressure predicts (expected counts by a mean-field recursion)', async () => {
    const farms = 2500;
    const rate = 1.6e-3;
    const sim = h5n1Sim({ farms, population: false, seed: 9, params: { wildBirdRate: rate, farmToFarmRate: 0, startDay: 0, restockDays: 3650 } });
    await sim.ready();
    const flyway = read(sim, P.flyway);
    const { metrics } = await sim.run({ steps: 365 });
    // independent expectation: per flyway, susceptible fraction x daily infection probability
    const shape = Object.fromEntries(['springPeakDay', 'fallPeakDay', 'seasonWidth', 'springAmplitude', 'fallAmplitude', 'offSeason'].map((k) => [k, H5N1_PARAMETERS[k as keyof typeof H5N1_PARAMETERS].default])) as unknown as SeasonShape;
    const weights = [1, 1.44, 1, 1];
    const susceptible = [0, 1, 2, 3].map((k) => flyway.filter((f) => f === k).length);
    const expected = Array.from({ length: 365 }, (_, day) => {
      let sum = 0;
      susceptible.forEach((n, k) => {
        const newly = n * (1 - Math.exp(-rate * weights[k]! * seasonalPressure(day, shape)));
        susceptible[k] = n - newly;
        sum += newly;
      });
      return sum;
    });
    const observed = metrics.wildBirdIntroductions!;
    const inSeason = (series: number[]) => total(series.slice(59, 151)) + total(series.slice(273, 365)); // Mar-May, Oct-Dec
    const summer = (series: number[]) => total(series.slice(151, 243)); // Jun-Aug
    const n = total(observed);
    expect(Math.abs(n - total(expected))).toBeLessThan(4 * Math.sqrt(total(expected)));
    expect(Math.abs(inSeason(observed) / n - inSeason(expected) / total(expected))).toBeLessThan(0.04);
    expect(inSeason(observed) / n).toBeGreaterThan(0.75);
    expect(summer(observed) / n).toBeLessThan(0.1);
    sim.dispose();
  });

  it('spillover infects only workers of farms with infected birds, at the rate of its hazard', async () => {
    const spilloverRate = 0.05;
    let cases = 0;
    let workers = 0;
    for (const seed of [1, 2]) {
      const sim = h5n1Sim({ farms: 100, seed, params: { ...isolated, seedFarms: 50, spilloverRate, humanToHumanRate: 0 } });
      await sim.ready();
      const seeded = read(sim, P.farmInfected);
      const { metrics } = await sim.run({ steps: 15 });
      const [farm, worker, hs] = [read(sim, P.personFarm), read(sim, P.worker), read(sim, P.humanSusceptible)];
      expect(hs.every((s, p) => s === 1 || (worker[p] === 1 && seeded[farm[p]!] === 1))).toBe(true);
      expect(total(metrics.humanToHumanCases!)).toBe(0);
      cases += total(metrics.humanCases!);
      workers += worker.reduce((acc, w, p) => acc + w * seeded[farm[p]!]!, 0);
      sim.dispose();
    }
    // each exposed worker: 7 days (detection 6 + culling 1) at hazard spilloverRate
    const p = 1 - Math.exp(-spilloverRate * 7);
    expect(Math.abs(cases - workers * p)).toBeLessThan(4 * Math.sqrt(workers * p * (1 - p)));
  });

  it('human-to-human transmission reaches households only when its rate is positive', async () => {
    const run = async (humanToHumanRate: number) => {
      const sim = h5n1Sim({ farms: 100, seed: 4, params: { ...isolated, seedFarms: 50, spilloverRate: 0.1, humanToHumanRate } });
      const { metrics } = await sim.run({ steps: 30 });
      const [hs, worker] = [read(sim, P.humanSusceptible), read(sim, P.worker)];
      sim.dispose();
      return { h2h: total(metrics.humanToHumanCases!), households: hs.filter((s, p) => s === 0 && worker[p] === 0).length };
    };
    expect(await run(0)).toEqual({ h2h: 0, households: 0 });
    const high = await run(0.3);
    expect(high.h2h).toBeGreaterThan(10);
    expect(high.households).toBeGreaterThan(5);
  });

  it('culled farms are restocked restockDays later with their whole flock', async () => {
    const sim = h5n1Sim({ farms: 100, seed: 6, params: { ...isolated, seedFarms: 10, restockDays: 21 } });
    const { metrics } = await sim.run({ steps: 40 });
    expect(metrics.culledFarms![6]).toBe(10);
    expect(metrics.flocksRestocked![6 + 21]).toBe(10);
    expect(total(metrics.flocksRestocked!)).toBe(10);
    expect(metrics.emptyFarms!.slice(6, 27).every((v) => v === 10)).toBe(true);
    expect(metrics.layersInProduction![26]).toBeLessThan(H5N1_FACTS.tableEggLayers.value);
    expect(metrics.layersInProduction!.at(-1)).toBe(H5N1_FACTS.tableEggLayers.value);
    sim.dispose();
  });

  it('without a population, farms mix within their flyway only', async () => {
    const sim = h5n1Sim({ farms: 800, population: false, seed: 3, params: { wildBirdRate: 0, farmToFarmRate: 0.5, seedFarms: 1, detectionDelay: 8, restockDays: 3650 } });
    await sim.ready();
    const seededFlyway = read(sim, P.flyway)[read(sim, P.farmInfected).indexOf(1)];
    const { metrics } = await sim.run({ steps: 25 });
    expect(total(metrics.farmToFarmInfections!)).toBeGreaterThan(3);
    const flyway = read(sim, P.flyway);
    const ever = read(sim, P.farmSusceptible);
    expect([...ever.keys()].filter((f) => ever[f] === 0).every((f) => flyway[f] === seededFlyway)).toBe(true);
    sim.dispose();
  });

  it('same seed, same result; another seed, another result', async () => {
    const runs = [];
    for (const seed of [21, 21, 22]) {
      const sim = h5n1Sim({ farms: 300, seed, params: { wildBirdRate: 0.003, spilloverRate: 0.05 } });
      runs.push((await sim.run({ steps: 40 })).metrics);
      sim.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
    expect(total(runs[0]!.newInfectedFarms!)).toBeGreaterThan(0);
  });

  it('leaks no tensors over a run', async () => {
    const sim = h5n1Sim({ farms: 100, params: { seedFarms: 5 } });
    await sim.ready();
    const before = tf.memory().numTensors;
    await sim.run({ steps: 10 });
    expect(tf.memory().numTensors).toBe(before);
    sim.dispose();
  });
});
