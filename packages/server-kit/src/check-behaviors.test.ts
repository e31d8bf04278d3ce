/**
 * Jobs that fill behaviour slots with archetypes: checked before anything
 * runs (slot, archetype id, agent type, not for gradient jobs), recorded with
 * the run, and applied to the simulation with the executor's chat model.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, defineModel, definePlugin, defineSubstep, PopulaceError, sumOf, tf, type BehaviorSource, type BehaviorSourceOptions } from '@populace/core';
import type { ScenariosOutcome } from './run-record.js';
import { createServerKit } from './server-kit.js';
import { removeTempDirs, tempDbPath } from './kit.fixture.js';

// Each agent accumulates its behaviour value (or the default 0.25) every day.
const decide = defineSubstep({
  name: 'decide',
  reads: ['agents/people/total'],
  writes: ['agents/people/total'],
  act: (ctx) => ctx.behavior('willing')?.sample({ day: ctx.step }),
  transition: (ctx, _o, value: tf.Tensor | undefined) => ({ 'agents/people/total': tf.add(ctx.get('agents/people/total'), value ?? 0.25) }),
});
const model = defineModel({
  id: 'willing',
  description: 'accumulates a behaviour',
  state: { agents: { people: { properties: { total: { dtype: 'float32', init: 0 } } } } },
  parameters: { rate: { default: 0.1, bounds: [0, 1], learnable: true } },
  substeps: [decide],
  metrics: { total: sumOf('agents/people/total') },
  behaviors: { willing: { agentType: 'people', description: 'p', range: [0, 1] } },
});
const seen: BehaviorSourceOptions[] = [];
/** A behaviour source (what an LLM archetype is): every agent gets 0.5, or 1 when a model is given. */
const half: BehaviorSource = {
  id: 'half',
  agentType: 'people',
  behavior: (sim, options = {}) => {
    seen.push(options);
    return { id: 'half', agentType: 'people', differentiable: false, sample: async () => tf.fill([sim.agentTable().count], options.model === undefined ? 0.5 : 1) };
  },
};
const cats: BehaviorSource = { ...half, id: 'cats', agentType: 'cats' };
const plain = { id: 'plain', description: 'a contribution without behavior()' };
const runtime = createRuntime({ plugins: [definePlugin({ name: 't', version: '1.0.0', models: [model], archetypes: [half, cats, plain] })], backend: 'cpu' });
const kit = createServerKit({ runtime, db: tempDbPath(), concurrency: 1 });
const withModel = createServerKit({ runtime, db: tempDbPath(), concurrency: 1, behaviorModel: { fake: 'chat model' } });

afterAll(async () => {
  await kit.close();
  await withModel.close();
  removeTempDirs();
});

function rejects(fn: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(PopulaceError.isInstance(error)).toBe(true);
  expect((error as Error).message).toMatch(pattern);
}

describe('behaviours in jobs', () => {
  it('fills the slot, records it with the run, and passes the executor chat model', async () => {
    const base = await kit.executor.wait(kit.executor.submit({ kind: 'run', model: 'willing', agents: 10, steps: 2 }).id);
    expect(kit.store.series(base.id).series.total).toEqual([2.5, 5]);
    const run = await kit.executor.wait(kit.executor.submit({ kind: 'run', model: 'willing', agents: 10, steps: 2, behaviors: { willing: 'half' } }).id);
    expect(run.status).toBe('done');
    expect(kit.store.series(run.id).series.total).toEqual([5, 10]);
    expect(run.options).toMatchObject({ behaviors: { willing: 't/half' } });
    expect(seen.at(-1)).toEqual({});
    const llm = await withModel.executor.wait(withModel.executor.submit({ kind: 'run', model: 'willing', agents: 10, steps: 2, behaviors: { willing: 't/half' } }).id);
    expect(withModel.store.series(llm.id).series.total).toEqual([10, 20]);
    expect(seen.at(-1)).toEqual({ model: { fake: 'chat model' } });
  });

  it('scenario sweeps carry the behaviours to every run', async () => {
    const sweep = await kit.executor.wait(kit.executor.submit({ kind: 'scenarios', model: 'willing', agents: 4, steps: 1, behaviors: { willing: 'half' }, scenarios: [{ params: {} }, { params: { rate: 0.2 } }] }).id);
    expect(sweep.status).toBe('done');
    const ids = (sweep.result as ScenariosOutcome).scenarios.flatMap((s) => s.runIds);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(kit.store.series(id).series.total).toEqual([2]);
  });

  it('rejects unknown slots and archetypes, wrong agent types, non-sources and gradient jobs', () => {
    const submit = (behaviors: unknown, kind: 'run' | 'sensitivity' = 'run') => kit.executor.submit({ kind, model: 'willing', agents: 10, steps: 2, behaviors, ...(kind === 'sensitivity' ? { output: 'total' } : {}) } as never);
    rejects(() => submit({ wiling: 'half' }), /no behaviour slot 'wiling'. Did you mean 'willing'\? Its slots: \[willing\]/);
    rejects(() => submit({ willing: 'halve' }), /halve/);
    rejects(() => submit({ willing: 'cats' }), /'cats' agents, but slot 'willing' of 't\/willing' needs 'people'/);
    rejects(() => submit({ willing: 'plain' }), /cannot make behaviours/);
    rejects(() => submit({ willing: 3 }), /expected an archetype id, one of \[t\/half, t\/cats, t\/plain\]/);
    rejects(() => submit(['half']), /expected an object \{ slot: archetypeId \}/);
    rejects(() => submit({ willing: 'half' }, 'sensitivity'), /not differentiable/);
  });
});
