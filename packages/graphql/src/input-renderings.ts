/**
 * How the operations' shared nouns appear in GraphQL inputs: a record of
 * parameters as `[ParamInput!]`, behaviour slots as `[BehaviorInput!]`,
 * observed series as `[ObservedSeriesInput!]`, a sensitivity output as
 * `SensitivityOutputInput` and a loss as the `CalibrateLoss` enum (typed
 * lists rather than JSON blobs), and the decoding of each back to the value
 * the operation's zod schema takes. Keyed by the server-kit's zod schema, so
 * every operation field declared with one of them gets the same rendering.
 */
import { PopulaceError, type Aggregate } from '@populace/core';
import { behaviorsSchema, lossSchema, observedSchema, outputSchema, paramsSchema } from '@populace/server-kit';
import type { z } from 'zod';
import { enumValueName } from './enums.js';
import { paramRecord, type ParamIn } from './values.js';

/** A GraphQL rendering of a zod schema in an input. */
export interface InputRendering {
  /** The GraphQL type, without `!`. */
  readonly type: string;
  /** The GraphQL literal of a default value. */
  literal?(value: unknown): string;
  /** The wire value back as the zod schema's input; `field` names it in errors. */
  decode(value: unknown, field: string): unknown;
}

/** A behaviour slot filled by an archetype. */
interface BehaviorIn {
  readonly slot: string;
  readonly archetype: string;
}

function behaviorRecord(list: readonly BehaviorIn[], field: string): Record<string, string> {
  const out = new Map<string, string>();
  list.forEach((b, i) => {
    if (out.has(b.slot)) throw new PopulaceError('invalid-argument', `${field}[${i}]: slot '${b.slot}' is given twice. Fill each slot once.`, { details: { field: `${field}[${i}]` } });
    out.set(b.slot, b.archetype);
  });
  return Object.fromEntries(out);
}

function observedRecord(list: readonly { readonly metric: string; readonly values: readonly (number | null)[] }[], field: string): Record<string, readonly (number | null)[]> {
  if (list.length === 0) throw new PopulaceError('invalid-argument', `calibrate: ${field} expected at least one series { metric, values }, received an empty list.`, { details: { field } });
  const out = new Map<string, readonly (number | null)[]>();
  list.forEach((s, i) => {
    if (out.has(s.metric)) throw new PopulaceError('invalid-argument', `calibrate: ${field}[${i}]: metric '${s.metric}' is given twice. Give each metric's series once.`, { details: { field: `${field}[${i}]` } });
    out.set(s.metric, s.values);
  });
  return Object.fromEntries(out);
}

/**
 * The rendering of a schema: of the server-kit schema it is, or a copy of (`.describe()` copies a
 * schema and keeps its definition).
 */
export function renderingOf(schema: z.ZodType): InputRendering | undefined {
  for (const [key, rendering] of INPUT_RENDERINGS) if (key === schema || key.def === schema.def) return rendering;
  return undefined;
}

/** The renderings, by the zod schema they render. */
export const INPUT_RENDERINGS: ReadonlyMap<z.ZodType, InputRendering> = new Map<z.ZodType, InputRendering>([
  [paramsSchema, { type: '[ParamInput!]', decode: (v, field) => paramRecord(v as readonly ParamIn[], field) }],
  [behaviorsSchema, { type: '[BehaviorInput!]', decode: (v, field) => behaviorRecord(v as readonly BehaviorIn[], field) }],
  [observedSchema, { type: '[ObservedSeriesInput!]', decode: (v, field) => observedRecord(v as never, field) }],
  [outputSchema, { type: 'SensitivityOutputInput', decode: (v) => `${(v as { metric: string }).metric}:${(v as { aggregate?: Aggregate | null }).aggregate ?? 'sum'}` }],
  [lossSchema, { type: 'CalibrateLoss', literal: (v) => enumValueName(String(v)), decode: (v) => v }],
]);
