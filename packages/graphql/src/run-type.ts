/**
 * GraphQL's `Run` type, generated from server-kit's `runRecordSchema` (the
 * run record's one declaration): one field per record field, with the
 * record's name, nullability and description, typed as the operations'
 * output fields are (`String`, `Int`, `Float`, lists, `JSON`) unless
 * `RUN_FIELD_TYPES` types it otherwise (IDs, enums, typed lists and objects);
 * a record field GraphQL splits into typed fields (`result`, by kind) is
 * replaced by them (`RUN_FIELD_SPLITS`); then the fields only GraphQL has
 * (`RUN_ONLY_FIELDS`). Their resolvers are in resolvers-runs.ts.
 */
import { PopulaceError } from '@populace/core';
import { runRecordSchema, unwrapField, type RunRecord } from '@populace/server-kit';
import type { z } from 'zod';
import { docString, outputTypeOf, quote } from './operation-schema.js';

/** A field GraphQL has besides the record's, or in place of one. */
export interface RunTypeField {
  /** The GraphQL type, with its `!`. */
  readonly type: string;
  /** Its arguments, as SDL. */
  readonly args?: string;
  readonly description?: string;
}

/** The GraphQL type (without `!`: nullability is the record's) of each record field GraphQL types otherwise than its zod schema. */
export const RUN_FIELD_TYPES: { readonly [K in keyof RunRecord]?: string } = {
  id: 'ID',
  kind: 'RunKind',
  parentId: 'ID',
  model: 'ID',
  population: 'ID',
  params: '[Param!]',
  status: 'RunStatus',
  progress: 'Progress',
  error: 'RunError',
};

/** Record fields GraphQL replaces by typed fields: a run's result, one field per kind of result. */
export const RUN_FIELD_SPLITS: { readonly [K in keyof RunRecord]?: Readonly<Record<string, RunTypeField>> } = {
  result: {
    calibration: { type: 'CalibrationResult', description: 'The result of a calibration.' },
    sensitivity: { type: 'SensitivityResult', description: 'The result of a sensitivity analysis.' },
    scenarios: { type: 'ScenariosResult', description: 'The result of a sweep.' },
    snapshot: { type: 'AgentSnapshot', description: "The per-agent snapshot a run was asked for (its input's snapshot), once the run is done; null otherwise." },
  },
};

/** The fields of `Run` that are not in the record, after the record's. */
export const RUN_ONLY_FIELDS: Readonly<Record<string, RunTypeField>> = {
  parent: { type: 'Run' },
  metrics: {
    args: 'names: [String!], from: Int, to: Int, maxPoints: Int, method: DownsampleMethod = SAMPLE',
    type: 'MetricsSlice!',
    description: "Metric series: chosen names (default all), steps from..to (from 1, inclusive), and at most\nmaxPoints points (at least 2) by 'method'.",
  },
  files: { type: 'RunFiles!', description: "Where to download its results as files, relative to the server's root (the routes of\npopulace-graphql / startGraphqlServer, behind the same token as /graphql)." },
};

const line = (name: string, f: RunTypeField): string => `  ${f.description ? `${f.description.includes('\n') ? `"""\n  ${f.description.replace(/\n/g, '\n  ')}\n  """` : quote(f.description)}\n  ` : ''}${name}${f.args ? `(${f.args})` : ''}: ${f.type}`;

/**
 * The SDL of `type Run` (and of any object type a record field needs, named `Run<Field>`), from
 * the record's shape (default: `runRecordSchema`'s). An entry of the tables naming no record
 * field, or a GraphQL-only field named as a record field, throws.
 *
 * @example
 * ```ts
 * runTypeDefs(); // 'type Run {\n  id: ID!\n  kind: RunKind!\n  "The caller\'s label, ..."\n  label: String\n ...'
 * ```
 */
export function runTypeDefs(shape: Readonly<Record<string, z.ZodType>> = runRecordSchema.shape): string {
  const stray = [...Object.keys(RUN_FIELD_TYPES), ...Object.keys(RUN_FIELD_SPLITS)].filter((f) => !(f in shape));
  const clash = Object.keys(RUN_ONLY_FIELDS).filter((f) => f in shape);
  if (stray.length || clash.length) {
    throw new PopulaceError('config-invalid', `GraphQL's Run type: ${stray.length ? `RUN_FIELD_TYPES/RUN_FIELD_SPLITS name ${stray.join(', ')}, not fields of the run record (${Object.keys(shape).join(', ')}). ` : ''}${clash.length ? `RUN_ONLY_FIELDS ${clash.join(', ')} are record fields: drop them there.` : ''}`.trim());
  }
  const types: string[] = [];
  const fields = Object.entries(shape).flatMap(([name, schema]) => {
    const split = (RUN_FIELD_SPLITS as Record<string, Record<string, RunTypeField>>)[name];
    if (split) return Object.entries(split).map(([f, spec]) => line(f, spec));
    const rendered = (RUN_FIELD_TYPES as Record<string, string>)[name];
    const type = rendered ? `${rendered}${unwrapField(schema).required ? '!' : ''}` : outputTypeOf(schema, `Run${name[0]!.toUpperCase()}${name.slice(1)}`, types);
    return [`  ${docString(schema.description)}${name}: ${type}`];
  });
  const own = Object.entries(RUN_ONLY_FIELDS).map(([name, spec]) => line(name, spec));
  return [`type Run {\n${[...fields, ...own].join('\n')}\n}`, ...types].join('\n\n');
}
