/**
 * Where each field of the run record lives in the run store's `runs` table,
 * keyed by the fields of `runRecordSchema`: its columns and the conversions
 * both ways. A field is stored in the column of its snake_case name
 * (`metricNames` -> `metric_names`), as is when its schema is a string,
 * number or enum (nullable or not), as JSON text otherwise; the fields stored
 * differently are listed in `STORED_APART`. The reading of a row
 * (`toRecord`) and the INSERT of a new job are built from this map, so a new
 * record field needs only its migration (store-schema.ts); the test
 * store-columns.test.ts checks every field's columns exist in a fresh store.
 */
import { z } from 'zod';
import { runRecordSchema } from './operations/run-record-schema.js';
import type { RunProgress, RunRecord } from './run-record.js';

/** A value SQLite stores and returns. */
export type SqlValue = string | number | bigint | null;

/** A row of `runs` as SQLite returns it, by column. */
export type RunRow = Readonly<Record<string, SqlValue>>;

/** A record field's place in `runs`: its columns, and the conversions from a row and to column values. */
export interface FieldColumns<V = unknown> {
  /** The columns, in the order `write` gives their values (none for a field computed from others). */
  readonly columns: readonly string[];
  read(row: RunRow): V;
  write(value: V): SqlValue[];
}

/** A record field. */
export type RecordField = keyof RunRecord;

const iso = (ms: SqlValue): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());
const ms = (time: string | null): number | null => (time === null ? null : Date.parse(time));
const time = (column: string): FieldColumns<string | null> => ({ columns: [column], read: (row) => iso(row[column]!), write: (v) => [ms(v)] });

/** The fields not stored in one column of their own name as is or as JSON. */
const STORED_APART: { readonly [K in RecordField]?: FieldColumns<RunRecord[K]> } = {
  progress: {
    columns: ['progress_done', 'progress_total', 'progress_unit'],
    read: (row) => ({ done: Number(row.progress_done), total: Number(row.progress_total), unit: row.progress_unit as RunProgress['unit'] }),
    write: (p) => [p.done, p.total, p.unit],
  },
  error: {
    columns: ['error_code', 'error_message'],
    read: (row) => (row.error_code === null ? null : { code: String(row.error_code), message: String(row.error_message ?? '') }),
    write: (e) => [e?.code ?? null, e?.message ?? null],
  },
  // epoch milliseconds in the table, ISO 8601 in the record
  createdAt: time('created_at') as FieldColumns<string>,
  startedAt: time('started_at'),
  finishedAt: time('finished_at'),
  // computed: finished - started
  wallMs: {
    columns: [],
    read: (row) => (row.started_at !== null && row.finished_at !== null ? Number(row.finished_at) - Number(row.started_at) : null),
    write: () => [],
  },
};

/** The column of a field stored under its own name: `metricNames` -> `metric_names`. */
export const columnName = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** True when a schema's values are stored as they are (strings, numbers, enums), not as JSON. */
function isPlain(schema: z.ZodType): boolean {
  let s = schema;
  while (s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodString || s instanceof z.ZodNumber || s instanceof z.ZodEnum;
}

function ownColumn(field: string, schema: z.ZodType): FieldColumns {
  const column = columnName(field);
  return isPlain(schema)
    ? { columns: [column], read: (row) => row[column], write: (v) => [v as SqlValue] }
    : { columns: [column], read: (row) => (row[column] === null ? null : JSON.parse(String(row[column]))), write: (v) => [v === null ? null : JSON.stringify(v)] };
}

/** The columns of each field of a record schema's shape, in its field order. */
export function recordColumns(shape: Readonly<Record<string, z.ZodType>>): Record<string, FieldColumns> {
  return Object.fromEntries(Object.entries(shape).map(([field, schema]) => [field, (STORED_APART as Record<string, FieldColumns>)[field] ?? ownColumn(field, schema)]));
}

/** Every run-record field's columns, in the record's field order. */
export const RECORD_COLUMNS = recordColumns(runRecordSchema.shape) as { readonly [K in RecordField]: FieldColumns<RunRecord[K]> };

/** The record of a row of `runs`. */
export function toRecord(row: RunRow): RunRecord {
  return Object.fromEntries(Object.entries(RECORD_COLUMNS).map(([field, c]) => [field, (c as FieldColumns).read(row)])) as unknown as RunRecord;
}

/** The columns of `fields`, in order. */
export const columnsOf = (fields: readonly RecordField[]): string[] => fields.flatMap((f) => RECORD_COLUMNS[f].columns);

/** The column values of `fields` of `record`, in the order of `columnsOf(fields)`. */
export const valuesOf = (fields: readonly RecordField[], record: Partial<RunRecord>): SqlValue[] => fields.flatMap((f) => (RECORD_COLUMNS[f] as FieldColumns).write(record[f]));

/** Every stored field (all but the computed ones). */
export const STORED_FIELDS: readonly RecordField[] = (Object.keys(RECORD_COLUMNS) as RecordField[]).filter((f) => RECORD_COLUMNS[f].columns.length > 0);

/** The INSERT of a new job: every stored field's columns, then the owner. */
export const INSERT_RUN = `INSERT INTO runs (${[...columnsOf(STORED_FIELDS), 'owner'].join(', ')}) VALUES (${[...columnsOf(STORED_FIELDS), 'owner'].map(() => '?').join(', ')})`;

/**
 * The SET list of `fields`: `column = ?` for each of their columns, `column = COALESCE(?, column)`
 * for those of `keep` (a null leaves the stored value). The values: `valuesOf(fields, ...)`.
 */
export const assignments = (fields: readonly RecordField[], keep: readonly RecordField[] = []): string =>
  fields.flatMap((f) => RECORD_COLUMNS[f].columns.map((c) => (keep.includes(f) ? `${c} = COALESCE(?, ${c})` : `${c} = ?`))).join(', ');
