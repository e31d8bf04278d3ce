import { calibrate, createRuntime, definePlugin, definePopulation, sensitivity, type CsrNetwork, type Simulation } from '@populace/core';
import { h5n1 } from './model.js';
import { describe, expect, it } from 'vitest';
import { H5N1_PARAMETERS } from './parameters.js';
import { H5N1_PATHS as P } from './paths.js';
import { buildUsLayerFarms, WORKERS_PER_FARM } from './population.js';
import { h5n1Sim, total } from './runtime.fixture.js';
import { seasonalPressure, type SeasonShape } from './season.js';

const read = (sim: Simulation, path: Parameters<Simulation['state']>[0]) => {
  const t = sim.state(path);
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

const learnable = Object.entries(H5N1_PARAMETERS).filter(([, p]) => 'learnable' in p && p.learnable).map(([n]) => n);

describe('epi/h5n1 gradients', () => {
  it('one day: the surrogate gradients equal the exact derivatives of the expected infections', async () => {
    const [farms, seed, r, w, spill] = [400, 3, 0.07, 0.01, 0.2];
    const sim = h5n1Sim({ farms, seed, params: { seedFarms: 40, farmToFarmRate: r, wildBirdRate: w, spilloverRate: spill, startDay: 100 } });
    await sim.ready();
    const [infected, susceptible, flyway, flock] = [read(sim, P.farmInfected), read(sim, P.farmSusceptible), read(sim, P.flyway), read(sim, P.flockSize)];
    // size susceptibility: (flock / mean)^exponent, normalised to mean 1
    const meanFlock = total(flock) / farms;
    const raw = flock.map((x) => (x / meanFlock) ** H5N1_PARAMETERS.flockSizeExponent.default);
    const size = raw.map((x) => x / (total(raw) / farms));
    const grad = async (output: string, param: string) => (await sensitivity(sim, { output: `${output}:sum`, steps: 1, params: [param], estimator: 'straight-through' })).gradients[param] as number;

    // wild birds: E[introductions] = sum_f S_f (1 - exp(-w e_f)), e_f the pressure of f's flyway on day 100 x its size susceptibility
    const shape = Object.fromEntries(Object.entries(H5N1_PARAMETERS).map(([k, p]) => [k, p.default])) as unknown as SeasonShape;
    const pressure = [1, 1.44, 1, 1].map((weight) => weight * seasonalPressure(100, shape));
    let dIntro = 0;
    susceptible.forEach((s, f) => {
      const e = pressure[flyway[f]!]! * size[f]!;
      dIntro += s * e * Math.exp(-w * e);
    });
    expect((await grad('wildBirdIntroductions', 'wildBirdRate')) / dIntro).toBeCloseTo(1, 4);

    // farm to farm: E[infections] = sum_f S'_f (1 - exp(-r k_f)), k_f infected contacts x size susceptibility, S' = not hit by wild birds
    const net = buildUsLayerFarms(farms, seed).networks!['farm-contacts'] as CsrNetwork;
    sim.setParams({ wildBirdRate: 0 });
    let dSpread = 0;
    for (let f = 0; f < farms; f++) {
      let k = 0;
      for (let e = net.rowPtr[f]!; e < net.rowPtr[f + 1]!; e++) k += infected[net.colIdx[e]!]!;
      k *= size[f]!;
      dSpread += susceptible[f]! * k * Math.exp(-r * k);
    }
    expect(dSpread).toBeGreaterThan(10);
    expect((await grad('farmToFarmInfections', 'farmToFarmRate')) / dSpread).toBeCloseTo(1, 4);

    // spillover: each worker of an infected farm has exposure 1
    const dSpill = total(infected) * WORKERS_PER_FARM * Math.exp(-spill);
    expect((await grad('spilloverCases', 'spilloverRate')) / dSpill).toBeCloseTo(1, 4);
    sim.dispose();
  });

  it('several days: d(farm infections)/d(farmToFarmRate) agrees with central finite differences, both averaged over seeds', async () => {
    const [farms, steps, r, h] = [500, 3, 0.05, 0.01];
    const grads: number[] = [];
    const fds: number[] = [];
    for (let seed = 1; seed <= 14; seed++) {
      const sim = h5n1Sim({ farms, seed, params: { wildBirdRate: 0, seedFarms: 50, farmToFarmRate: r } });
      grads.push((await sensitivity(sim, { output: 'newInfectedFarms:sum', steps, params: ['farmToFarmRate'], estimator: 'straight-through' })).gradients.farmToFarmRate as number);
      const at = async (v: number) => {
        sim.setParams({ farmToFarmRate: v });
        await sim.reset();
        return total((await sim.run({ steps })).metrics.newInfectedFarms!);
      };
      fds.push(((await at(r + h)) - (await at(r - h))) / (2 * h));
      sim.dispose();
    }
    const mean = (a: number[]) => total(a) / a.length;
    const se = Math.sqrt(fds.reduce((s, x) => s + (x - mean(fds)) ** 2, 0) / (fds.length - 1) / fds.length);
    // the straight-through surrogate is exact for one day; over a few days its bias stays small (~5% measured)
    expect(Math.abs(mean(grads) - mean(fds))).toBeLessThan(3 * se + 0.08 * mean(fds));
    expect(mean(fds)).toBeGreaterThan(100);
  });

  it('after the outbreak ends the surrogate gradient stops growing: infected-state perturbations of uninfected farms are detected and culled too', async () => {
    // three farms in a line: A (seeded) - B - C; in the runs used, B and C are never infected
    const chain = definePopulation({
      id: 'chain', description: 'three farms in a line', defaultAgents: 3, agentTypes: ['farms', 'people'],
      build: () => ({
        agents: { farms: { count: 3, attributes: { flockSize: [1000, 1000, 1000], flyway: [0, 0, 0] } }, people: { count: 3, attributes: { farm: [0, 1, 2], role: [0, 0, 0] } } },
        networks: { 'farm-contacts': { agents: 'farms', rowPtr: Int32Array.of(0, 1, 3, 4), colIdx: Int32Array.of(1, 0, 2, 1) } },
      }),
    });
    const runtime = createRuntime({ plugins: [definePlugin({ name: 'chain', version: '0.0.0', models: [h5n1], populations: [chain] })], backend: 'cpu' });
    const gradientAt = async (steps: number, seed: number) => {
      const sim = runtime.createSimulation({ model: 'h5n1', population: 'chain', seed, params: { wildBirdRate: 0, seedFarms: 1, farmToFarmRate: 0.02 } });
      const result = await sensitivity(sim, { output: 'newInfectedFarms:sum', steps, params: ['farmToFarmRate'], estimator: 'straight-through' });
      const infections = total((await sim.run({ steps })).metrics.newInfectedFarms!);
      sim.dispose();
      return { gradient: result.gradients.farmToFarmRate as number, infections };
    };
    let checked = 0;
    for (let seed = 1; checked < 1 && seed < 20; seed++) {
      const long = await gradientAt(100, seed);
      if (long.infections > 0) continue;
      const short = await gradientAt(50, seed);
      // first order alone: the seeded farm presses on its 1 or 2 neighbours for 7 days
      expect(short.gradient).toBeGreaterThan(7);
      // (without the surrogate route the gradient grows ~10-fold from 50 to 100 days)
      expect(Math.abs(long.gradient - short.gradient)).toBeLessThan(0.01 * short.gradient);
      checked += 1;
    }
    expect(checked).toBe(1);
  });

  it('sensitivity covers every learnable parameter with finite gradients and leaves the simulation as it was', async () => {
    const sim = h5n1Sim({ farms: 200, seed: 8, params: { seedFarms: 10, farmToFarmRate: 0.03, spilloverRate: 0.05, humanToHumanRate: 0.05 } });
    await sim.run({ steps: 12 });
    const before = sim.metrics();
    const result = await sensitivity(sim, { output: 'newInfectedFarms:sum', estimator: 'straight-through' });
    expect(result.steps).toBe(12);
    expect(result.entries.map((e) => e.param).sort()).toEqual([...learnable].sort());
    expect(result.entries.every((e) => Number.isFinite(e.gradient))).toBe(true);
    expect(result.gradients.farmToFarmRate).toBeGreaterThan(0);
    expect(result.gradients.wildBirdRate).toBeGreaterThan(0);
    // the farm output does not depend on the human side
    expect(result.gradients.spilloverRate).toBe(0);
    expect(sim.metrics()).toEqual(before);
    const humans = await sensitivity(sim, { output: 'humanCases:sum', params: ['spilloverRate', 'farmToFarmRate'], estimator: 'straight-through' });
    expect(humans.gradients.spilloverRate).toBeGreaterThan(0);
    sim.dispose();
  });

  it('calibrate moves the wild-bird rate towards the one that generated the observed introductions', async () => {
    const truth = 0.004;
    const observedSim = h5n1Sim({ farms: 600, population: false, seed: 1, params: { wildBirdRate: truth, startDay: 300 } });
    const observed = (await observedSim.run({ steps: 20 })).metrics.wildBirdIntroductions!;
    observedSim.dispose();
    const sim = h5n1Sim({ farms: 600, population: false, seed: 2, params: { wildBirdRate: 0.001, startDay: 300 } });
    const fit = await calibrate(sim, { params: ['wildBirdRate'], observed: { wildBirdIntroductions: observed }, loss: 'poisson', epochs: 12, learningRate: 0.3 });
    expect(fit.loss).toBeLessThan(fit.history[0]!);
    expect(Math.abs((fit.params.wildBirdRate as number) - truth)).toBeLessThan(Math.abs(0.001 - truth) / 2);
    sim.dispose();
  });
});
