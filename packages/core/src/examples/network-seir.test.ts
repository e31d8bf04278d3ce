import { describe, expect, it } from 'vitest';
import { createRuntime } from '../runtime.js';
import { sensitivity } from '../gradients/sensitivity.js';
import { examplePlugin } from './plugin.js';

describe('example/network-seir', () => {
  it('conserves agents, moves them S -> E -> I -> R, and is differentiable in beta, sigma and gamma', async () => {
    const rt = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
    const sim = rt.createSimulation({ model: 'network-seir', population: 'random-graph', agents: 3000, seed: 4, params: { seedFraction: 0.01 } });
    const { metrics } = await sim.run({ steps: 40 });
    const { S, E, I, R, newInfections } = metrics as Record<string, number[]>;
    for (let t = 0; t < 40; t++) expect(S![t]! + E![t]! + I![t]! + R![t]!).toBe(3000);
    for (let t = 1; t < 40; t++) expect(S![t - 1]! - S![t]!).toBe(newInfections![t]);
    expect(Math.max(...E!)).toBeGreaterThan(0);
    expect(R![39]).toBeGreaterThan(30);
    const s = await sensitivity(sim, { output: 'newInfections:sum' });
    const g = Object.fromEntries(s.entries.map((e) => [e.param, e.gradient]));
    expect(g.beta).toBeGreaterThan(0);
    expect(g.gamma).toBeLessThan(0);
    expect(Number.isFinite(g.sigma)).toBe(true);
    sim.dispose();
  });
});
