/**
 * Typed state paths. The `@ts-expect-error` lines are checked by `npx tsc -p tsconfig.json` (the
 * root typecheck): each must be an error, or the typecheck fails. The `it` blocks check the same
 * declarations at run time, where string paths built by plugin code are checked by `defineModel`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PopulaceError } from './errors.js';
import { countWhere, meanOf, sumOf } from './metrics.js';
import { defineModel, type StateSpec } from './model.js';
import { parsePath, type ModelPathOf, type StatePath, type StatePathOf, type UndeclaredPaths } from './state-path.js';
import { defineSubstep } from './substep.js';
import { tf } from './tf.js';

const state = {
  agents: {
    people: { properties: { infected: { dtype: 'float32', init: 0 }, age: { dtype: 'int32', init: 30 } } },
    farms: { properties: { stock: { dtype: 'float32', init: 1 } } },
  },
  environment: { day: { dtype: 'int32', init: 0 } },
  networks: { contacts: { agents: 'people', optional: true } },
} as const satisfies StateSpec;

const infect = defineSubstep({
  name: 'infect',
  reads: ['agents/people/infected', 'env/day'],
  writes: ['agents/people/infected', 'env/day'],
  transition: (ctx) => ({ 'agents/people/infected': tf.maximum(ctx.get('agents/people/infected'), 0), 'env/day': tf.add(ctx.get('env/day'), 1) }),
});

const model = (substeps: readonly ReturnType<typeof defineSubstep>[], path: string) =>
  defineModel({ id: 'runtime', description: 'paths built at run time', state, substeps, metrics: { m: sumOf(path as StatePath) } });

function definitionError(fn: () => unknown): PopulaceError {
  try {
    fn();
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a PopulaceError');
}

describe('StatePathOf', () => {
  it('is the union of the paths a spec declares, and StatePath for a spec known only at run time', () => {
    expectTypeOf<StatePathOf<typeof state>>().toEqualTypeOf<'agents/people/infected' | 'agents/people/age' | 'agents/farms/stock' | 'env/day' | 'networks/contacts'>();
    expectTypeOf<StatePathOf<StateSpec>>().toEqualTypeOf<StatePath>();
    expectTypeOf<UndeclaredPaths<'agents/people/infectd' | 'env/day', typeof state>>().toEqualTypeOf<'agents/people/infectd'>();
    // paths built at run time are left to defineModel's check
    expectTypeOf<UndeclaredPaths<`agents/people/${string}` | StatePath | string, typeof state>>().toBeNever();
    const okPath: StatePathOf<typeof state> = 'agents/farms/stock';
    // @ts-expect-error a misspelt path is not a path of the spec
    const badPath: StatePathOf<typeof state> = 'agents/farms/stok';
    // every example path is one parsePath accepts
    expect([okPath, badPath].map((p) => parsePath(p)?.kind)).toEqual(['agents', 'agents']);
  });

  it('types a model from its state, and a misspelt literal path does not compile', () => {
    const m = defineModel({ id: 'typed', description: 'typed paths', state, substeps: [infect], metrics: { I: sumOf('agents/people/infected'), old: countWhere('agents/people/age', 80), day: meanOf('env/day') } });
    expectTypeOf<ModelPathOf<typeof m>>().toEqualTypeOf<StatePathOf<typeof state>>();
    expect(Object.keys(m.metrics)).toEqual(['I', 'old', 'day']);

    const typo = defineSubstep({ name: 'typo', reads: ['agents/people/infectd'], writes: [], transition: () => ({}) });
    const e1 = definitionError(() =>
      // @ts-expect-error the substep reads a path the state does not declare
      defineModel({ id: 'bad', description: 'misspelt read', state, substeps: [infect, typo], metrics: {} }),
    );
    expect(e1.message).toContain('received "agents/people/infectd"');
    const e2 = definitionError(() =>
      // @ts-expect-error a metric reads a path the state does not declare
      defineModel({ id: 'bad', description: 'misspelt metric', state, substeps: [infect], metrics: { S: sumOf('agents/peple/infected') } }),
    );
    expect(e2.message).toContain('received "agents/peple/infected"');
  });

  it('checks ctx.get against the substep\'s reads', () => {
    const s = defineSubstep({
      name: 'checked',
      reads: ['agents/people/infected'],
      writes: ['agents/people/infected'],
      transition: (ctx) => {
        // @ts-expect-error env/day is not among this substep's reads
        void (() => ctx.get('env/day'));
        return { 'agents/people/infected': ctx.get('agents/people/infected') };
      },
    });
    expect(s.reads).toEqual(['agents/people/infected']);
  });

  it('keeps string paths working: a path built at run time compiles and is checked when the model is defined', () => {
    const base = 'agents/people/';
    const dynamic = defineSubstep({ name: 'dynamic', reads: [`${base}infected` as StatePath], writes: [], transition: () => ({}) });
    expect(model([infect, dynamic], 'env/day').substeps.map((s) => s.name)).toEqual(['infect', 'dynamic']);
    const misspelt = defineSubstep({ name: 'misspelt', reads: [`${base}infectd` as StatePath], writes: [], transition: () => ({}) });
    const e = definitionError(() => model([infect, misspelt], 'env/day'));
    expect(e.message).toContain("substep 'misspelt' reads");
    expect(definitionError(() => model([infect], 'env/dya')).message).toContain("metric 'm' reads");
  });
});
