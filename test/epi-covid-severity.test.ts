/**
 * epi/covid over a whole epidemic on a census-driven population (nyc, 20k agents): the Levin IFR
 * preset gives an overall IFR near the 1.0-1.1% expected for New York City's age mix, and community
 * contacts paired by age (prem2021, the populations' default) lower attack rates at 70+ relative to
 * ages 20-59 against the same city with uniform community pairs; on such a uniform layer the POLYMOD
 * activity option (communityAgeMixing: 1) lowers them too.
 */
import { createRuntime, definePlugin } from '@populace/core';
import epi, { R_WEEKS } from '@populace/models-epi';
import populations, { createNycPopulation } from '@populace/populations';
import { describe, expect, it } from 'vitest';

const uniform = definePlugin({ name: 'nyc-uniform-community', version: '0.0.0', populations: [createNycPopulation({ id: 'nyc-uniform', communityMixing: 'uniform' })] });
const runtime = createRuntime({ plugins: [populations, epi, uniform], backend: 'cpu' });

async function epidemic(population: 'nyc' | 'nyc-uniform', params: Record<string, number>) {
  const sim = runtime.createSimulation({ model: 'epi/covid', population, agents: 20_000, seed: 1, params: { R: Array.from({ length: R_WEEKS }, () => 2.5), ...params } });
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
  it('Levin preset: overall IFR within 15% of 1.0-1.1%; age-paired community contacts lower the 70+ attack rate against 20-59', async () => {
    const byAge = await epidemic('nyc', { severityPreset: 1 });
    expect(byAge.active).toBeLessThan(100); // the epidemic is over: under 0.5% still infected
    expect(byAge.ifr).toBeGreaterThan(0.85 * 0.01);
    expect(byAge.ifr).toBeLessThan(1.15 * 0.011);
    const flat = await epidemic('nyc-uniform', { severityPreset: 1 });
    expect(byAge.ratio).toBeLessThan(flat.ratio - 0.05);
    expect(byAge.ratio).toBeLessThan(0.92);
    const activity = await epidemic('nyc-uniform', { severityPreset: 1, communityAgeMixing: 1 });
    expect(activity.ratio).toBeLessThan(flat.ratio - 0.05);
  }, 300_000);
});
