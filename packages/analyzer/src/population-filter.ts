/**
 * The `where` filters of `populationStats`: labels for categories, values or
 * an inclusive range for numbers; every filter must hold.
 */
import { closest, PopulaceError } from '@populace/core';
import { z } from 'zod';
import type { AttributeColumn } from './attribute-columns.js';

/** One filter: a label or value, a list of them (any matches), or an inclusive { min, max } range. */
export const whereValueSchema = z.union([
  z.string(),
  z.number(),
  z.array(z.union([z.string(), z.number()])).min(1),
  z.strictObject({ min: z.number().optional(), max: z.number().optional() }),
]);

/** A filter as applied: the labels (categories), the values, or the range (numbers) kept. */
export type AppliedFilter = { readonly labels: readonly string[] } | { readonly values: readonly number[] } | { readonly min: number | null; readonly max: number | null };

/** Whether agent i passes every filter, and the filters as applied. */
export function agentFilter(columns: ReadonlyMap<string, AttributeColumn>, where: Readonly<Record<string, z.output<typeof whereValueSchema>>>, count: number): { pass: (i: number) => boolean; applied: Record<string, AppliedFilter> } {
  const tests: ((i: number) => boolean)[] = [];
  const applied: Record<string, AppliedFilter> = {};
  for (const [name, spec] of Object.entries(where)) {
    const column = columns.get(name)!;
    const values = column.values;
    if (typeof spec === 'object' && !Array.isArray(spec)) {
      if (column.kind === 'category' && !column.ordered) {
        throw new PopulaceError('invalid-argument', `populationStats: where.${name}: a { min, max } range needs a number or an ordered category; '${name}' is an unordered category. Give a label or a list of labels among ${column.labels.join(', ')}.`, { details: { attribute: name } });
      }
      const lo = spec.min ?? Number.NEGATIVE_INFINITY;
      const hi = spec.max ?? Number.POSITIVE_INFINITY;
      if (spec.min === undefined && spec.max === undefined) throw new PopulaceError('invalid-argument', `populationStats: where.${name}: expected { min?, max? } with at least one bound, received {}.`, { details: { attribute: name } });
      if (!(lo <= hi)) throw new PopulaceError('invalid-argument', `populationStats: where.${name}: expected min <= max, received { min: ${lo}, max: ${hi} }.`, { details: { attribute: name } });
      tests.push((i) => values[i]! >= lo && values[i]! <= hi);
      applied[name] = column.kind === 'category' ? { labels: column.labels.filter((_, k) => k >= lo && k <= hi) } : { min: spec.min ?? null, max: spec.max ?? null };
      continue;
    }
    const list = Array.isArray(spec) ? spec : [spec];
    if (column.kind === 'category') {
      const codes = list.map((v) => {
        if (typeof v === 'number') {
          if (Number.isInteger(v) && v >= 0 && v < column.labels.length) return v;
          throw new PopulaceError('invalid-argument', `populationStats: where.${name}: expected a label among ${column.labels.join(', ')} (or a code 0..${column.labels.length - 1}), received ${v}.`, { details: { attribute: name, labels: column.labels } });
        }
        const code = column.labels.indexOf(v);
        if (code < 0) {
          const guess = closest(v, column.labels);
          throw new PopulaceError('invalid-argument', `populationStats: where.${name}: '${name}' has no label ${JSON.stringify(v)}.${guess ? ` Did you mean '${guess}'?` : ''} Labels: ${column.labels.join(', ')}.`, { details: { attribute: name, labels: column.labels } });
        }
        return code;
      });
      const keep = new Set(codes);
      tests.push((i) => keep.has(values[i]!));
      applied[name] = { labels: [...keep].sort((a, b) => a - b).map((c) => column.labels[c]!) };
    } else {
      const nums = list.map((v) => {
        if (typeof v !== 'number') throw new PopulaceError('invalid-argument', `populationStats: where.${name}: '${name}' is a number attribute; expected a number, a list of numbers or { min, max }, received ${JSON.stringify(v)}.`, { details: { attribute: name } });
        return v;
      });
      const keep = new Set(nums);
      tests.push((i) => keep.has(values[i]!));
      applied[name] = { values: [...keep] };
    }
  }
  if (tests.length === 0) return { pass: () => true, applied };
  const mask = new Uint8Array(count);
  for (let i = 0; i < count; i++) mask[i] = tests.every((t) => t(i)) ? 1 : 0;
  return { pass: (i) => mask[i] === 1, applied };
}
