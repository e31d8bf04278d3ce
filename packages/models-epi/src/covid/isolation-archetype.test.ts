/**
 * The covid-isolation archetype epi/covid declares: asked with the isolation slot's own context, and
 * its prior has the documented anchor (Smith et al. 2021) and directions. (Filling the slot with it
 * is tested in @populace/llm-archetypes, which makes its behaviours.)
 */
import { describe, expect, it } from 'vitest';
import { covidIsolationArchetype, covidIsolationPrior, ISOLATION_ADHERENCE_SMITH_2021, ISOLATION_PRIOR_REFERENCE, midAge } from './isolation-archetype.js';
import { ISOLATION_SLOT } from './isolation.js';

const ctx = (c: Partial<Record<string, number>> = {}) => ({ day: 0, week: 1, positivesPer100kLastWeek: ISOLATION_PRIOR_REFERENCE.positivesPer100kLastWeek, isolationDays: ISOLATION_PRIOR_REFERENCE.isolationDays, ...c });

describe('covid-isolation declaration', () => {
  it("answers the isolation slot: its agent type and context keys, a value in the slot's range", () => {
    expect(covidIsolationArchetype).toMatchObject({ id: 'covid-isolation', nArch: 3, value: 'willIsolate', agentType: ISOLATION_SLOT.agentType });
    expect(covidIsolationArchetype.context).toEqual(ISOLATION_SLOT.context);
    expect(covidIsolationArchetype.groupBy.map((d) => d.attribute)).toEqual(['ageBand', 'employed']);
    const [lo, hi] = ISOLATION_SLOT.range!;
    for (const c of [ctx(), ctx({ positivesPer100kLastWeek: 1e5, isolationDays: 0 })]) {
      const answer = covidIsolationArchetype.output.parse(covidIsolationArchetype.prior({ ageBand: '85+', employed: 'employed' }, c));
      expect(answer.willIsolate).toBeGreaterThanOrEqual(lo);
      expect(answer.willIsolate).toBeLessThanOrEqual(hi);
    }
  });
});

describe('covid-isolation prior', () => {
  it('equals the published adherence (Smith et al. 2021) for the reference person and context', () => {
    const ref = covidIsolationPrior({ ageBand: `${ISOLATION_PRIOR_REFERENCE.age}-${ISOLATION_PRIOR_REFERENCE.age}`, employed: '?' }, ctx());
    expect(ref.willIsolate).toBeCloseTo(ISOLATION_ADHERENCE_SMITH_2021, 12);
  });

  it('rises with cases and age, falls with longer isolation and for the employed, stays in (0, 1)', () => {
    const p = (ageBand: string, employed: string, c = {}) => covidIsolationPrior({ ageBand, employed }, ctx(c)).willIsolate;
    expect(p('35-44', 'employed', { positivesPer100kLastWeek: 800 })).toBeGreaterThan(p('35-44', 'employed'));
    expect(p('35-44', 'employed', { isolationDays: 14 })).toBeLessThan(p('35-44', 'employed'));
    expect(p('35-44', 'employed')).toBeLessThan(p('35-44', 'not employed'));
    expect(p('65-74', 'not employed')).toBeGreaterThan(p('20-24', 'not employed'));
    expect(p('0-4', 'not employed')).toBe(p('15-19', 'not employed')); // children: the parent's age (18) decides
    for (const c of [{ positivesPer100kLastWeek: 0, isolationDays: 0 }, { positivesPer100kLastWeek: 1e5, isolationDays: 365 }]) {
      const v = p('85+', 'employed', c);
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
    expect([midAge('25-34'), midAge('85+'), midAge('n/a')]).toEqual([29.5, 87.5, ISOLATION_PRIOR_REFERENCE.age]);
  });
});
