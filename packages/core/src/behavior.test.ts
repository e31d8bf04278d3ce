import { afterEach, describe, expect, it } from 'vitest';
import type { Behavior, BehaviorContext } from './behavior.js';
import { PopulaceError } from './errors.js';
import { sumOf } from './metrics.js';
import { defineModel } from './model.js';
import { definePlugin } from './plugin.js';
import { definePopulation } from './population.js';
import { createRuntime } from './runtime.js';
import type { Simulation } from './simulation.js';
import { defineSubstep } from './substep.js';
import { tf } from './tf.js';

// Each agent "decides" with probability p (from the behaviour slot, or the parameter pDefault);
// the state accumulates p, so the metric shows exactly what the substep received.
const decide = defineSubstep({
  name: 'decide',
  reads: ['agents/people/total'],
  writes: ['agents/people/total'],
  act: (ctx) => ctx.behavior('willing')?.sample({ day: ctx.step, label: 'x' }),
  transition: (ctx, _obs, action: tf.Tensor | undefined) => ({
    'agents/people/total': tf.add(ctx.get('agents/people/total'), action ?? ctx.param('pDefault')),
  }),
});
const model = defineModel({
  id: 'willing',
  description: 'accumulates a behaviour',
  state: { agents: { people: { properties: { total: { dtype: 'float32', init: 0 } } }, shops: { properties: { x: { dtype: 'float32', init: 0 } } } } },
  parameters: { pDefault: { default: 0.25, bounds: [0, 1] } },
  substeps: [decide],
  metrics: { total: sumOf('agents/people/total') },
  behaviors: { willing: { agentType: 'people', description: 'probability of being willing', range: [0, 1], context: { day: 'the day', label: 'a label' } } },
});
const town = definePopulation({
  id: 'town',
  description: 'four people, two shops',
  defaultAgents: 4,
  agentTypes: ['people', 'shops'],
  attributes: { people: { age: { description: 'age in years', kind: 'number', unit: 'years' } } },
  build: () => ({ agents: { people: { count: 4, attributes: { age: Uint8Array.from([10, 20, 30, 40]) }, labels: {} }, shops: { count: 2 } } }),
});
const runtime = createRuntime({ plugins: [definePlugin({ name: 't', version: '1.0.0', models: [model], populations: [town] })], backend: 'cpu' });

const sims: Simulation[] = [];
function sim(): Simulation {
  const s = runtime.createSimulation({ model: 'willing', population: 'town', seed: 1 });
  sims.push(s);
  return s;
}
afterEach(() => {
  while (sims.length) sims.pop()!.dispose();
});

/** A behaviour that returns fixed values and records its contexts. */
function fixed(values: number[] | (() => unknown), agentType = 'people'): Behavior & { contexts: BehaviorContext[] } {
  const contexts: BehaviorContext[] = [];
  return {
    id: 'test/fixed',
    agentType,
    differentiable: false,
    contexts,
    sample: async (context) => {
      contexts.push(context);
      return (typeof values === 'function' ? values() : tf.tensor1d(values)) as tf.Tensor;
    },
  };
}

async function error(p: Promise<unknown> | (() => unknown)): Promise<PopulaceError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a PopulaceError');
}

describe('behaviour slots', () => {
  it('an empty slot keeps the model default; a filled one feeds the substep its values and context', async () => {
    const s = sim();
    await s.step(2);
    expect(s.metrics().total).toEqual([1, 2]); // 4 agents x 0.25 per day
    const b = fixed([0, 0.5, 1, 0.5]);
    s.useBehavior('willing', b);
    await s.step(1);
    expect(s.metrics().total[2]).toBeCloseTo(2 + 2);
    expect(b.contexts).toEqual([{ day: 2, label: 'x' }]);
    expect(Object.keys(s.behaviors())).toEqual(['willing']);
    s.useBehavior('willing', undefined);
    await s.step(1);
    expect(s.metrics().total[3]).toBeCloseTo(5);
  });

  it('rejects unknown slots, non-behaviours and the wrong agent type', () => {
    const s = sim();
    expect(() => s.useBehavior('nope', fixed([1]))).toThrow(/no behaviour slot 'nope'; it has \[willing\]/);
    expect(() => s.useBehavior('willing', { sample: 1 } as never)).toThrow(/expected a Behavior/);
    expect(() => s.useBehavior('willing', fixed([1], 'shops'))).toThrow(/agent type 'shops'.*needs 'people'/);
  });

  it('checks what a behaviour returns: shape, range, finiteness, type', async () => {
    for (const [values, message] of [
      [[0.1, 0.2], /shape \[2\]; expected \[4\]/],
      [[0.1, 0.2, 1.5, 0], /agent 2 the value 1.5; expected a finite number in \[0, 1\]/],
      [[0.1, NaN, 0, 0], /agent 1 the value NaN/],
      [() => 'yes', /returned "yes"; expected a tensor/],
    ] as const) {
      const s = sim();
      s.useBehavior('willing', fixed(values as never));
      expect((await error(s.step(1))).message).toMatch(message);
    }
  });

  it('is not differentiable: trace refuses an asynchronous behaviour and works without one', async () => {
    const s = sim();
    await s.ready();
    s.useBehavior('willing', fixed([1, 1, 1, 1]));
    expect((await error(() => s.trace(2))).message).toMatch(/acted asynchronously; differentiable rollouts/);
    s.useBehavior('willing', undefined);
    const out = s.trace(2);
    expect(Array.from(out.total!.dataSync())).toEqual([1, 2]);
    Object.values(out).forEach((t) => t.dispose());
  });

  it('asking for an undeclared slot inside a substep is an error naming the declared ones', async () => {
    const bad = defineSubstep({ name: 'bad', reads: [], writes: [], act: (ctx) => ctx.behavior('other'), transition: () => ({}) });
    const m = defineModel({ ...model, id: 'bad-slot', substeps: [bad] });
    const rt = createRuntime({ plugins: [definePlugin({ name: 'u', version: '1.0.0', models: [m] })], backend: 'cpu' });
    const s = rt.createSimulation({ model: 'bad-slot', agents: 3 });
    sims.push(s);
    expect((await error(s.step(1))).message).toMatch(/slot 'other', which model 'u\/bad-slot' does not declare \(it declares \[willing\]\)/);
  });

  it('validates slot declarations at definition time', () => {
    const base = { ...model, id: 'm2' };
    expect(() => defineModel({ ...base, behaviors: { w: { agentType: 'cats', description: 'd' } } })).toThrow(/agentType.*people, shops/);
    expect(() => defineModel({ ...base, behaviors: { w: { agentType: 'people', description: '' } } })).toThrow(/description/);
    expect(() => defineModel({ ...base, behaviors: { w: { agentType: 'people', description: 'd', range: [1, 0] } } })).toThrow(/min <= max/);
  });

  it('describes slots and attributes, and exposes the built agent table', async () => {
    expect(runtime.describeModel('willing').behaviors).toEqual({ willing: { agentType: 'people', description: 'probability of being willing', range: [0, 1], context: { day: 'the day', label: 'a label' } } });
    expect(runtime.describePopulation('town').attributes).toEqual({ people: { age: { description: 'age in years', kind: 'number', unit: 'years' } } });
    const s = sim();
    expect(() => s.agentTable()).toThrow(/await sim.ready/);
    await s.ready();
    const t = s.agentTable();
    expect(t.count).toBe(4);
    expect(Array.from(t.attributes!.age!)).toEqual([10, 20, 30, 40]);
    expect(s.agentTable('shops').count).toBe(2);
    expect(() => s.agentTable('cats')).toThrow(/agent type 'cats'/);
    expect(() => definePopulation({ ...town, id: 't2', attributes: { people: { age: { description: 'a', kind: 'weird' as never } } } })).toThrow(/kind/);
  });
});
