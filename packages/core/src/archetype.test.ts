/**
 * defineArchetype: every bad declaration fails at definition time with an
 * invalid-definition error that names the problem and the fix; a good one is
 * frozen, and its templates render group labels and context values.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineArchetype, type ArchetypeInput } from './archetype.js';
import { validateGroupBy } from './archetype-group-by.js';
import { placeholders, renderTemplate } from './archetype-prompt.js';
import { PopulaceError } from './errors.js';
import type { AttributeSchema } from './population.js';

/** People attributes of the kinds a population declares (a number, categories, an id). */
const attributes: AttributeSchema = {
  age: { description: 'age in years', kind: 'number' },
  ageBand: { description: 'census age band', kind: 'category', labels: ['0-17', '18-64', '65+'], ordered: true },
  sex: { description: 'sex', kind: 'category', labels: ['female', 'male'] },
  employed: { description: 'employed', kind: 'category', labels: ['not employed', 'employed'] },
  household: { description: 'household id', kind: 'id' },
};
const good: ArchetypeInput<z.ZodObject<{ willIsolate: z.ZodNumber; why: z.ZodString }>> = {
  id: 'iso',
  attributes,
  groupBy: ['ageBand', 'employed'],
  context: { week: 'week of the epidemic' },
  prompt: 'Aged {ageBand}, {employed}, week {week}. Answer like {"willIsolate": 0.5}.',
  output: z.object({ willIsolate: z.number().min(0).max(1), why: z.string() }),
  nArch: 2,
  prior: () => ({ willIsolate: 0.4, why: 'prior' }),
};

function definitionError(input: unknown): PopulaceError {
  try {
    defineArchetype(input as ArchetypeInput<never>);
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected defineArchetype to throw');
}

describe('defineArchetype', () => {
  it('validates, fills defaults and freezes', () => {
    const a = defineArchetype(good);
    expect(a).toMatchObject({ id: 'iso', agentType: 'people', value: 'willIsolate', nArch: 2, aggregate: 'mean' });
    expect(a.groupBy.map((d) => d.attribute)).toEqual(['ageBand', 'employed']);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.groupBy[0])).toBe(true);
    expect(() => ((a as { nArch: number }).nArch = 9)).toThrow();
    // the default system message explains the role and shows the JSON schema of the answer
    expect(a.system).toContain('archetype');
    expect(a.system).toContain('"willIsolate":{"type":"number","minimum":0,"maximum":1}');
  });

  it('renders group labels and context values; JSON braces are not placeholders', () => {
    const a = defineArchetype(good);
    expect(placeholders(a.prompt)).toEqual(['ageBand', 'employed', 'week']);
    expect(renderTemplate(a.prompt, { ageBand: '25-34', employed: 'employed' }, { week: 3 })).toBe('Aged 25-34, employed, week 3. Answer like {"willIsolate": 0.5}.');
  });

  it('bins number attributes with readable labels', () => {
    const dims = validateGroupBy([{ attribute: 'age', bins: [0, 18, 65, 101] }, { attribute: 'age2', bins: [0, 0.5, 1] }], { age: { description: 'age', kind: 'number' }, age2: { description: 'x', kind: 'number' } }, 'here');
    expect(dims[0]!.labels).toEqual(['0-17', '18-64', '65-100']);
    expect(dims[1]!.labels).toEqual(['[0, 0.5)', '[0.5, 1)']);
  });

  it.each([
    ['an unknown groupBy attribute (listing the known ones)', { groupBy: ['ageBnd'] }, /groupBy\[0\]: expected an attribute among \[age, ageBand, sex, .*\], received "ageBnd".*Did you mean 'ageBand'/],
    ['an empty groupBy', { groupBy: [] }, /groupBy: expected a non-empty array/],
    ['a groupBy on an id attribute', { groupBy: ['household'] }, /'household' is an id/],
    ['a number attribute without bins', { groupBy: ['age'] }, /bins for the number attribute 'age'.*bins: \[0, 18, 65, 101\]/],
    ['bins that do not increase', { groupBy: [{ attribute: 'age', bins: [0, 65, 18] }] }, /bins: expected at least two strictly increasing/],
    ['bins on a category', { groupBy: [{ attribute: 'ageBand', bins: [0, 1] }] }, /it is a category; bins are for numbers/],
    ['bin labels of the wrong length', { groupBy: [{ attribute: 'age', bins: [0, 18, 101], labels: ['young'] }] }, /labels: expected 2 strings/],
    ['a repeated attribute', { groupBy: ['ageBand', 'ageBand'] }, /each attribute at most once/],
    ['an output schema that is not a zod object', { output: z.number() }, /output: expected a zod object schema/],
    ['a plain object instead of a schema', { output: { willIsolate: z.number() } }, /output: expected a zod object schema/],
    ['a value field that is not numeric', { value: 'why' }, /value: expected a numeric or boolean field .*'why' is a string/],
    ['a value field that does not exist', { value: 'nope' }, /value: expected a field of the output schema \[willIsolate, why\]/],
    ['an ambiguous value field', { output: z.object({ a: z.number(), b: z.boolean() }) }, /2 numeric or boolean fields: \[a, b\].*value: 'a'/],
    ['no numeric field at all', { output: z.object({ why: z.string() }) }, /0 numeric or boolean fields/],
    ['nArch 0', { nArch: 0 }, /nArch: expected a positive integer/],
    ['nArch -1', { nArch: -1 }, /nArch: expected a positive integer/],
    ['nArch 1.5', { nArch: 1.5 }, /nArch: expected a positive integer/],
    ['a placeholder with no value', { prompt: 'Aged {ageBand} in {borough}' }, /received "\{borough\}".*Add 'borough' to groupBy or declare it in context/],
    ['a system placeholder with no value', { system: 'You live in {city}.' }, /system: expected placeholders/],
    ['an empty prompt', { prompt: '  ' }, /prompt: expected a non-empty template/],
    ['a context that is not key -> description', { context: { week: 3 } }, /context: expected an object of context key -> description/],
    ['a context key that is also a groupBy attribute', { context: { week: 'w', employed: 'e' } }, /context: expected context keys that are not also groupBy attributes/],
    ['a prior that is not a function', { prior: { willIsolate: 0.4 } }, /prior: expected a function/],
    ['an unknown aggregate', { aggregate: 'mode' }, /aggregate: expected one of mean, median/],
    ['a bad id', { id: 'has space' }, /id: expected an id/],
    ['missing attributes', { attributes: undefined }, /attributes: expected the attribute schema of 'people'/],
  ])('rejects %s', (_what, change, message) => {
    const e = definitionError({ ...good, ...change });
    expect(e.code).toBe('invalid-definition');
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^defineArchetype/);
  });

  it('rejects a non-object input', () => {
    expect(definitionError(undefined).message).toMatch(/defineArchetype: expected an object/);
  });
});
