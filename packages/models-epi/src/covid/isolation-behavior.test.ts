/**
 * The `isolation` behaviour slot of epi/covid: a behaviour that gives every
 * agent the same probability is exactly the isolationCompliance parameter (same
 * random stream); a behaviour that differs by agent is applied per agent; it is
 * asked only on days results arrive, with the documented context.
 */
import { createRuntime, tf, type Behavior, type BehaviorContext } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { plugin } from '../plugin.js';
import { testPopulations } from '../populations.fixture.js';
import { ISOLATION_CONTEXT } from './isolation.js';
import { R_WEEKS } from './parameters.js';

const runtime = createRuntime({ plugins: [plugin, testPopulations], backend: 'cpu' });
const weekly = (r: number) => Array.from({ length: R_WEEKS }, () => r);
const PARAMS = { R: weekly(2.5), seedInfections: 30, testsPerDay: 300, testTurnaround: 1, isolationDays: 7 };

function behavior(values: () => Float32Array): Behavior & { contexts: BehaviorContext[] } {
  const contexts: BehaviorContext[] = [];
  return {
    id: 'test/isolation',
    agentType: 'people',
    differentiable: false,
    contexts,
    sample: (context) => {
      contexts.push(context);
      return tf.tensor1d(values());
    },
  };
}

async function run(params: Record<string, unknown>, fill?: (count: number) => Float32Array) {
  const sim = runtime.createSimulation({ model: 'epi/covid', population: 'test/aged', agents: 8000, seed: 5, params });
  try {
    await sim.ready();
    const count = sim.agentTable().count;
    const b = fill && behavior(() => fill(count));
    if (b) sim.useBehavior('isolation', b);
    const { metrics } = await sim.run({ steps: 28 });
    const isolated = sim.state('agents/people/isolationLeft');
    const ever = Array.from(isolated.dataSync());
    isolated.dispose();
    return { metrics, contexts: b?.contexts ?? [], ever, ages: sim.agentTable().attributes!.age! };
  } finally {
    sim.dispose();
  }
}

describe('epi/covid isolation behaviour slot', () => {
  it('declares the slot with its context', () => {
    expect(runtime.describeModel('epi/covid').behaviors.isolation).toMatchObject({ agentType: 'people', range: [0, 1], context: { ...ISOLATION_CONTEXT } });
  });

  it('a constant behaviour equals the isolationCompliance parameter, bit for bit', async () => {
    for (const c of [0, 0.4, 1]) {
      const viaParam = await run({ ...PARAMS, isolationCompliance: c });
      const viaBehavior = await run({ ...PARAMS, isolationCompliance: 0.77 }, (n) => new Float32Array(n).fill(c));
      expect(viaBehavior.metrics).toEqual(viaParam.metrics);
    }
  });

  it('is asked only on days with arriving results, with the weekly context', async () => {
    const { metrics, contexts } = await run(PARAMS, (n) => new Float32Array(n).fill(0.5));
    expect(contexts.length).toBeGreaterThan(0);
    expect(contexts.length).toBeLessThanOrEqual(28);
    for (const c of contexts) {
      expect(Object.keys(c).sort()).toEqual(Object.keys(ISOLATION_CONTEXT).sort());
      expect(c.week).toBe(Math.floor((c.day as number) / 7) + 1);
      const lastWeek = (c.week as number) === 1 ? 0 : metrics.positives!.slice(((c.week as number) - 2) * 7, ((c.week as number) - 1) * 7).reduce((a, b) => a + b, 0);
      expect(c.positivesPer100kLastWeek).toBe(Math.round((lastWeek / 8000) * 100_000));
    }
  });

  it('applies per-agent values: only the agents given 1 ever isolate', async () => {
    const nobody = await run({ ...PARAMS, isolationDays: 60 }, (n) => new Float32Array(n));
    expect(nobody.metrics.isolated!.every((v) => v === 0)).toBe(true);
    const ages = nobody.ages;
    const r = await run({ ...PARAMS, isolationDays: 60 }, (n) => Float32Array.from({ length: n }, (_, i) => (ages[i]! >= 50 ? 1 : 0)));
    const isolating = r.ever.map((left, i) => [left, ages[i]!] as const).filter(([left]) => left > 0);
    expect(isolating.length).toBeGreaterThan(20);
    expect(isolating.every(([, age]) => age >= 50)).toBe(true);
  });
});
