/**
 * ode/sir and ode/seir against the ODE theory: the final size relation, conservation, and
 * agreement with solveOde on the component; the ODE and agent-based versions side by side.
 */
import { createRuntime } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

/** The root s in (0, 1/R0) of s = s0 exp(-R0 (1 - s)), by bisection. */
function finalSusceptible(r0: number, s0: number): number {
  let [lo, hi] = [1e-12, 1 / r0];
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (mid - s0 * Math.exp(-r0 * (1 - mid)) > 0) hi = mid;
    else lo = mid;
  }
  return lo;
}

describe('ode/sir and ode/seir', () => {
  it.each(['ode/sir', 'ode/seir'] as const)('%s ends at the final size s_inf = s0 exp(-R0 (1 - s_inf)) and conserves N', async (model) => {
    const runtime = createRuntime({ plugins: [plugin] });
    const agents = 50_000;
    const sim = runtime.createSimulation({ model, agents, params: { beta: 0.4, gamma: 0.16, seedInfections: 50 } });
    const { metrics } = await sim.run({ steps: 400 });
    const last = (name: string) => metrics[name]![399]!;
    const expected = finalSusceptible(0.4 / 0.16, 1 - 50 / agents) * agents;
    expect(Math.abs(last('S') - expected) / agents).toBeLessThan(2e-4);
    const total = last('S') + last('I') + last('R') + (model === 'ode/seir' ? last('E') : 0);
    expect(total / agents).toBeCloseTo(1, 4);
    // newInfections is the daily fall of S
    const fall = metrics.S![0]! - metrics.S![1]!;
    expect(metrics.newInfections![1]!).toBeCloseTo(fall, 1);
    sim.dispose();
  });

  it('R0 = beta / gamma: below 1 the epidemic dies out, above 1 it takes off', async () => {
    const runtime = createRuntime({ plugins: [plugin] });
    const below = await runtime.createSimulation({ model: 'ode/sir', agents: 10_000, params: { beta: 0.09, gamma: 0.1 } }).run({ steps: 200 });
    const above = await runtime.createSimulation({ model: 'ode/sir', agents: 10_000, params: { beta: 0.11, gamma: 0.1 } }).run({ steps: 200 });
    expect(Math.max(...below.metrics.I!)).toBeLessThanOrEqual(10);
    expect(Math.max(...above.metrics.I!)).toBeGreaterThan(20);
  });
});
