import { describe, expect, it } from 'vitest';
import { PopulaceError } from './errors.js';
import { countWhere, meanOf } from './metrics.js';
import { defineModel, type ModelInput } from './model.js';
import { defineSubstep } from './substep.js';
import { tf } from './tf.js';

const move = defineSubstep({
  name: 'move',
  reads: ['agents/walkers/x'],
  writes: ['agents/walkers/x'],
  transition: (ctx) => ({ 'agents/walkers/x': tf.add(ctx.get('agents/walkers/x'), 1) }),
});

function input(overrides: Partial<ModelInput<'walk'>> = {}): ModelInput<'walk'> {
  return {
    id: 'walk',
    description: 'test walkers',
    state: { agents: { walkers: { properties: { x: { dtype: 'float32', init: 0 } } } } },
    parameters: { speed: { default: 1, bounds: [0, 2] } },
    substeps: [move],
    metrics: { meanX: meanOf('agents/walkers/x') },
    ...overrides,
  };
}

function definitionError(fn: () => unknown): PopulaceError {
  try {
    fn();
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a PopulaceError');
}

describe('defineModel', () => {
  it('returns a frozen copy that later edits of the input do not reach', () => {
    const raw = input();
    const model = defineModel(raw);
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.state.agents.walkers!.properties)).toBe(true);
    (raw.parameters as Record<string, unknown>).speed = { default: 5 };
    expect(model.parameters.speed!.default).toBe(1);
    expect(model.defaultAgents).toBe(1000);
  });

  it('rejects a substep that writes a path the state does not declare', () => {
    const bad = defineSubstep({ name: 'bad', reads: [], writes: ['agents/walkers/y'], transition: () => ({}) });
    const e = definitionError(() => defineModel(input({ substeps: [bad] })));
    expect(e.code).toBe('invalid-definition');
    expect(e.message).toMatch(/substep 'bad' writes: expected a declared agent or environment path \(agents\/walkers\/x\), received "agents\/walkers\/y"/);
  });

  it('rejects reads of undeclared paths by substeps and metrics', () => {
    const bad = defineSubstep({ name: 'peek', reads: ['env/day'], writes: [], transition: () => ({}) });
    expect(() => defineModel(input({ substeps: [bad] }))).toThrow(/substep 'peek' reads/);
    expect(() => defineModel(input({ metrics: { n: countWhere('agents/walkers/status', 1) } }))).toThrow(/metric 'n' reads/);
  });

  it('rejects malformed declarations with what was expected', () => {
    expect(() => defineModel(input({ id: 'a/b' as 'walk' }))).toThrow(/without '\/'/);
    expect(() => defineModel(input({ description: '' }))).toThrow(/description/);
    expect(() => defineModel(input({ state: { agents: {} } }))).toThrow(/at least one agent type/);
    expect(() => defineModel(input({ state: { agents: { walkers: { properties: { x: { dtype: 'float64' as 'float32', init: 0 } } } } } }))).toThrow(/one of float32, int32, bool/);
    expect(() => defineModel(input({ state: { agents: { walkers: { properties: { x: { dtype: 'float32', init: 'zero' as unknown as number } } } } } }))).toThrow(/init/);
    expect(() => defineModel(input({ state: { agents: { walkers: { properties: { x: { dtype: 'float32', init: 0, shape: [0] } } } } } }))).toThrow(/positive integers/);
    expect(() => defineModel(input({ substeps: [] }))).toThrow(/non-empty array of substeps/);
    expect(() => defineModel(input({ substeps: [move, move] }))).toThrow(/unique substep names/);
    expect(() => defineModel(input({ parameters: { speed: { default: 3, bounds: [0, 2] } } }))).toThrow(/within \[0, 2\]/);
    expect(() => defineModel(input({ state: { agents: { walkers: { properties: { x: { dtype: 'float32', init: 0 } } } }, networks: { c: { agents: 'ghosts' } } } }))).toThrow(/networks.c.agents/);
  });
});

describe('defineSubstep', () => {
  it('validates names, paths and functions', () => {
    expect(() => defineSubstep({ name: '', reads: [], writes: [], transition: () => ({}) })).toThrow(/name/);
    expect(() => defineSubstep({ name: 's', reads: ['people/status' as 'env/x'], writes: [], transition: () => ({}) })).toThrow(/state paths/);
    expect(() => defineSubstep({ name: 's', reads: [], writes: ['networks/c'], transition: () => ({}) })).toThrow(/networks are read-only/);
    expect(() => defineSubstep({ name: 's', reads: [], writes: [], transition: 3 as unknown as () => {} })).toThrow(/transition/);
  });
});
