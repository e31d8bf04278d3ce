/**
 * Agent types written without the `properties` level. The stored definition, the paths and the
 * simulation's output are the same as for the `{ properties }` form (a metamorphic check), so
 * snapshots and stored runs do not see which form a model used.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { randomWalk } from './examples/random-walk.js';
import { PopulaceError } from './errors.js';
import { meanOf, sumOf } from './metrics.js';
import { declaredPaths, defineModel } from './model.js';
import { definePlugin } from './plugin.js';
import { createRuntime } from './runtime.js';
import type { ModelPathOf } from './state-path.js';

const { substeps, parameters, metrics, description } = randomWalk;
const nested = defineModel({
  id: 'walk-nested',
  description,
  state: { agents: { walkers: { description: 'people on a line', properties: { x: { dtype: 'float32', init: 0, description: 'position' } } } } },
  parameters,
  substeps,
  metrics,
});
const flat = defineModel({
  id: 'walk-flat',
  description,
  state: { agents: { walkers: { description: 'people on a line', x: { dtype: 'float32', init: 0, description: 'position' } } } },
  parameters,
  substeps,
  metrics,
});

describe('agent types without the properties level', () => {
  it('are stored in the { properties } form, with the same paths', () => {
    expect(flat.state).toEqual(nested.state);
    expect([...declaredPaths(flat.state).keys()]).toEqual(['agents/walkers/x']);
    expectTypeOf<ModelPathOf<typeof flat>>().toEqualTypeOf<'agents/walkers/x'>();
    expectTypeOf(flat.state.agents.walkers.properties.x.dtype).toEqualTypeOf<'float32'>();
  });

  it('run exactly as the { properties } form (same seed, same series)', async () => {
    const runtime = createRuntime({ plugins: [definePlugin({ name: 'walks', version: '1.0.0', models: [nested, flat] })], backend: 'cpu' });
    const run = async (model: 'walk-nested' | 'walk-flat') => (await runtime.createSimulation({ model, agents: 200, seed: 5, params: { drift: 0.1 } }).run({ steps: 6 })).metrics;
    const a = await run('walk-nested');
    expect(a.meanX).toHaveLength(6);
    expect(a.meanX![5]).toBeGreaterThan(0.3); // drift 0.1 per step over 6 steps: mean 0.6, sd 1/sqrt(200)*sqrt(6) ≈ 0.17
    expect(await run('walk-flat')).toEqual(a);
  });

  it('check a misspelt path and a bad property like the nested form', () => {
    // @ts-expect-error the flat state has no property 'y'
    const e = (() => { try { defineModel({ id: 'w', description: 'd', state: { agents: { walkers: { x: { dtype: 'float32', init: 0 } } } }, substeps, metrics: { y: sumOf('agents/walkers/y') } }); } catch (err) { return err; } })();
    expect(PopulaceError.isInstance(e) && e.message).toContain('received "agents/walkers/y"');
    const bad = () => defineModel({ id: 'w', description: 'd', state: { agents: { walkers: { x: { dtype: 'float64' as 'float32', init: 0 } } } }, substeps, metrics: { m: meanOf('agents/walkers/x') } });
    expect(bad).toThrow(/state\.agents\.walkers\.properties\.x\.dtype: expected one of float32, int32, bool/);
    const wrongFrom = () => defineModel({ id: 'w', description: 'd', state: { agents: { walkers: { from: 3 as unknown as string, x: { dtype: 'float32', init: 0 } } } }, substeps, metrics: {} });
    // an initialiser written in place gets its context type in the flat form too
    const inline = defineModel({ id: 'w', description: 'd', state: { agents: { walkers: { x: { dtype: 'float32', init: (ctx) => new Float32Array(ctx.count).fill(2) } } } }, substeps, metrics: { m: meanOf('agents/walkers/x') } });
    expect(Object.keys(inline.state.agents.walkers.properties)).toEqual(['x']);
    // @ts-expect-error and its paths are checked all the same
    expect(() => defineModel({ id: 'w', description: 'd', state: { agents: { walkers: { x: { dtype: 'float32', init: (ctx) => new Float32Array(ctx.count) } } } }, substeps, metrics: { m: meanOf('agents/walkers/z') } })).toThrow(/received "agents\/walkers\/z"/);
    expect(wrongFrom).toThrow(/state\.agents\.walkers\.from: expected the name of a population agent type/);
  });
});
