/**
 * `type Run` generated from the run record: a new record field of each kind
 * renders with the record's nullability and description (checked on the
 * built schema against types written out here), the override tables may
 * name only record fields, and GraphQL-only fields may not shadow one.
 */
import { runRecordSchema } from '@populace/server-kit';
import { buildSchema, GraphQLObjectType, printType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RUN_FIELD_SPLITS, RUN_FIELD_TYPES, RUN_ONLY_FIELDS, runTypeDefs } from './run-type.js';
import { populaceTypeDefs } from './type-defs.js';

/** The served schema with `type Run` (and its types) replaced by `runTypeDefs(shape)`. */
function schemaWith(shape: Record<string, z.ZodType>) {
  const served = populaceTypeDefs();
  const generated = runTypeDefs();
  expect(served).toContain(generated);
  return buildSchema(served.replace(generated, runTypeDefs(shape)));
}

describe('type Run from runRecordSchema', () => {
  it('renders a new record field by its zod type, nullability and description', () => {
    const schema = schemaWith({
      ...runRecordSchema.shape,
      retries: z.number().int().describe('Tries so far.'),
      cost: z.number().nullable(),
      host: z.string().nullable().describe('Where it ran.'),
      tags: z.array(z.string()),
      limits: z.object({ cpu: z.number(), note: z.string().nullable() }),
      extra: z.record(z.string(), z.unknown()),
    });
    const run = schema.getType('Run') as GraphQLObjectType;
    const f = run.getFields();
    expect(Object.fromEntries(['retries', 'cost', 'host', 'tags', 'limits', 'extra'].map((n) => [n, String(f[n]!.type)]))).toEqual({ retries: 'Int!', cost: 'Float', host: 'String', tags: '[String!]!', limits: 'RunLimits!', extra: 'JSON!' });
    expect(f.retries!.description).toBe('Tries so far.');
    expect(f.host!.description).toBe('Where it ran.');
    expect(f.cost!.description).toBeUndefined();
    expect(printType(schema.getType('RunLimits')!)).toBe('type RunLimits {\n  cpu: Float!\n  note: String\n}');
    // the record's fields come first, in the record's order, then GraphQL's own
    expect(Object.keys(f).slice(-3)).toEqual(Object.keys(RUN_ONLY_FIELDS));
  });

  it('types the overridden fields as the table says, non-null where the record is', () => {
    const f = (buildSchema(populaceTypeDefs()).getType('Run') as GraphQLObjectType).getFields();
    expect(String(f.kind!.type)).toBe('RunKind!');
    expect(String(f.parentId!.type)).toBe('ID');
    expect(String(f.params!.type)).toBe('[Param!]!');
    expect(String(f.error!.type)).toBe('RunError');
    // nullability follows the record: a nullable kind would make RunKind nullable
    const loose = schemaWith({ ...runRecordSchema.shape, kind: runRecordSchema.shape.kind.nullable() }).getType('Run') as GraphQLObjectType;
    expect(String(loose.getFields().kind!.type)).toBe('RunKind');
    // result is split, by kind, into typed fields
    expect(f.result).toBeUndefined();
    for (const name of Object.keys(RUN_FIELD_SPLITS.result!)) expect(f[name], name).toBeDefined();
  });

  it('refuses an override of a field the record does not have, and a GraphQL-only field that is a record field', () => {
    const { error: _, ...withoutError } = runRecordSchema.shape;
    expect(Object.keys(RUN_FIELD_TYPES)).toContain('error');
    expect(() => runTypeDefs(withoutError)).toThrow(/RUN_FIELD_TYPES\/RUN_FIELD_SPLITS name error, not fields of the run record/);
    const { result: __, ...withoutResult } = runRecordSchema.shape;
    expect(() => runTypeDefs(withoutResult)).toThrow(/name result, not fields/);
    expect(() => runTypeDefs({ ...runRecordSchema.shape, files: z.array(z.string()) })).toThrow(/RUN_ONLY_FIELDS files are record fields/);
  });
});
