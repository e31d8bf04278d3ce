/**
 * llmArchetype and defineArchetype: an LLM archetype is core's declaration, field for field, plus
 * behavior(sim, options); what is not a declaration is refused with the fix.
 */
import { defineArchetype as declareArchetype, PopulaceError, type ArchetypeInput } from '@populace/core';
import { nycMarginals, peopleAttributes } from '@populace/populations';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineArchetype, llmArchetype } from './define-archetype.js';
import { covidIsolation } from './model-archetypes.js';

const input: ArchetypeInput<z.ZodObject<{ willIsolate: z.ZodNumber }>> = {
  id: 'iso',
  attributes: peopleAttributes(nycMarginals()),
  groupBy: ['ageBand', 'employed'],
  context: { week: 'week of the epidemic' },
  prompt: 'Aged {ageBand}, {employed}, week {week}.',
  output: z.object({ willIsolate: z.number().min(0).max(1) }),
  nArch: 2,
  prior: () => ({ willIsolate: 0.4 }),
};

describe('llmArchetype', () => {
  it("is core's declaration plus behavior(sim, options), frozen", () => {
    const declared = declareArchetype(input);
    for (const archetype of [llmArchetype(declared), defineArchetype(input)]) {
      const { behavior, ...fields } = archetype;
      expect(typeof behavior).toBe('function');
      expect(fields).toEqual(declared);
      expect(Object.isFrozen(archetype)).toBe(true);
    }
    expect(llmArchetype(declared).groupBy).toBe(declared.groupBy);
  });

  it('refuses what is not a declaration, naming defineArchetype', () => {
    for (const bad of [undefined, input, { ...declareArchetype(input) }, covidIsolation.behavior]) {
      try {
        llmArchetype(bad as never);
        expect.unreachable();
      } catch (e) {
        expect(PopulaceError.isInstance(e) && e.code).toBe('invalid-definition');
        expect((e as Error).message).toMatch(/^llmArchetype: expected an archetype declared with defineArchetype\(/);
      }
    }
  });

  it('keeps the validation of core: a bad declaration fails as core fails it', () => {
    expect(() => defineArchetype({ ...input, nArch: 0 })).toThrow(/^defineArchetype\(iso\)\.nArch: expected a positive integer/);
  });
});
