/**
 * The labor-work archetype supplychain/labor declares: asked with the work slot's own context; its
 * prior is the logistic of the model's default parameters, falling with prevalence, inside (0, 1),
 * the same for every group. (Its fit to the nyc population and filling the work slot are tested in
 * test/labor-covid.test.ts, which has the populations and llm-archetypes packages.)
 */
import { describe, expect, it } from 'vitest';
import { WORK_SLOT } from './labor.js';
import { LABOR_WORK_PRIOR, laborWorkArchetype, laborWorkPrior } from './labor-work-archetype.js';

const ctx = (infectedPer100k: number) => ({ day: 0, week: 1, infectedPer100k, isolatedPer100k: 0, stayAtHome: 0 });

describe('labor-work prior', () => {
  it('equals willingBase without an epidemic and the logistic of fearPerThousand x infected per 1,000 with one', () => {
    expect(laborWorkPrior({ industry: 'construction', ageBand: '25-34' }, ctx(0)).willWork).toBeCloseTo(LABOR_WORK_PRIOR.willingBase, 12);
    const logit = Math.log(0.98 / 0.02) - 0.05 * 20; // 2,000 per 100k = 20 per 1,000
    expect(laborWorkPrior({}, ctx(2000)).willWork).toBeCloseTo(1 / (1 + Math.exp(-logit)), 12);
  });

  it('falls with prevalence, stays in (0, 1) and ignores the group', () => {
    const p = (i: number, industry = 'information') => laborWorkPrior({ industry, ageBand: '35-44' }, ctx(i)).willWork;
    expect(p(5000)).toBeLessThan(p(500));
    expect(p(1e5)).toBeGreaterThan(0);
    expect(p(-10)).toBe(p(0));
    expect(p(800, 'construction')).toBe(p(800, 'publicAdministration'));
    expect(laborWorkArchetype).toMatchObject({ id: 'labor-work', value: 'willWork', agentType: WORK_SLOT.agentType, nArch: 3, prior: laborWorkPrior });
    expect(laborWorkArchetype.context).toEqual(WORK_SLOT.context);
  });
});
