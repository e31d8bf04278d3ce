/**
 * epi/covid over a whole epidemic on a census-driven population (nyc, 20k agents): the Levin IFR
 * preset gives an overall IFR near the 1.0-1.1% expected for New York City's age mix, and the
 * POLYMOD community activity lowers attack rates at 70+ relative to ages 20-59.
 */
import { createRuntime } from '@populace/core';
import epi, { R_WEEKS } from '@populace/models-epi';
import populations from '@populace/populations';
import { describe, expect, it } from 'vitest';

const runtime = createRuntime({ plugins: [populations, epi], backend: 'cpu' });

async function epidemic(params: Record<string, number>) {
  const sim = runtime.createSimulation({ model: 'epi/covid', population: 'nyc', agents: 20_000, seed: 1, params: { R: Array.from({ length: R_WEEKS }, () => 2.5), ...params } });
  const { metrics } = await sim.run({ steps: 110 });
  const susceptible = await sim.state('agents/people/susceptible').data();
  const age = sim.agentTable().attributes?.age;
  if (!age) throw new Error('nyc has an age attribute');
  const attack = (lo: number, hi: number) => {
    let n = 0;
    let infected = 0;
    for (let i = 0; i < susceptible.length; i++) if (age[i]! >= lo && age[i]! < hi) (n += 1), (infected += 1 - susceptible[i]!);
    return infected / n;
  };
  const result = { ratio: attack(70, 200) / attack(20, 60), ifr: metrics.M!.at(-1)! / (susceptible.length - metrics.S!.at(-1)!), active: metrics.E!.at(-1)! + metrics.I!.at(-1)! };
  sim.dispose();
  return result;
}

describe('epi/covid severity and age mixing on nyc', () => {
  it('Levin preset: overall IFR within 15% of 1.0-1.1%; community age mixing lowers the 70+ attack rate against 20-59', async () => {
    const mixed = await epidemic({ severityPreset: 1, communityAgeMixing: 1 });
    expect(mixed.active).toBeLessThan(100); // the epidemic is over: under 0.5% still infected
    expect(mixed.ifr).toBeGreaterThan(0.85 * 0.01);
    expect(mixed.ifr).toBeLessThan(1.15 * 0.011);
    const unmixed = await epidemic({ severityPreset: 1, communityAgeMixing: 0 });
    expect(mixed.ratio).toBeLessThan(unmixed.ratio - 0.05);
    expect(mixed.ratio).toBeLessThan(0.92);
  }, 300_000);
});
