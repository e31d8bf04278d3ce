/**
 * The attribute schema of synthesized people: what each attribute means and,
 * for categories, their labels. Populations declare it so that tools (the
 * analyzer, LLM archetypes, `population describe`) can list and validate
 * attributes without building anything.
 */
import type { AttributeSchema } from '@populace/core';
import type { CensusMarginals } from './marginals.js';

/** Labels of the 0/1 attributes (code 0 first). */
export const EMPLOYED_LABELS = ['not employed', 'employed'] as const;
export const STUDENT_LABELS = ['not enrolled', 'enrolled in school'] as const;
export const SEX_LABELS = ['female', 'male'] as const;

/** The category labels of a synthesized population, by attribute. */
export function peopleLabels(m: CensusMarginals): Record<string, readonly string[]> {
  return {
    ageBand: m.ageBands.map((b) => b.label),
    sex: [...SEX_LABELS],
    area: m.areas.map((a) => a.name),
    employed: [...EMPLOYED_LABELS],
    industry: ['not employed', ...m.industries],
    income: [...m.incomeBands],
    student: [...STUDENT_LABELS],
  };
}

/** The people attribute schema of a population synthesized from `m`. */
export function peopleAttributes(m: CensusMarginals): AttributeSchema {
  const labels = peopleLabels(m);
  const category = (description: string, name: string, ordered = false) => ({ description, kind: 'category' as const, labels: labels[name]!, ...(ordered ? { ordered } : {}) });
  return {
    age: { description: 'age in whole years (0-100)', kind: 'number', unit: 'years' },
    ageBand: category('census age band', 'ageBand', true),
    sex: category('sex', 'sex'),
    household: { description: 'household id (members share it)', kind: 'id' },
    area: category(`area of residence (${m.areas.length} areas)`, 'area'),
    employed: category('employed (adults by age-specific employment rates)', 'employed'),
    industry: category('industry of the employed', 'industry'),
    income: category('household income band', 'income', true),
    student: category('enrolled in school (by age-specific enrolment)', 'student'),
    lon: { description: 'longitude of the area centre', kind: 'number', unit: 'degrees' },
    lat: { description: 'latitude of the area centre', kind: 'number', unit: 'degrees' },
  };
}
