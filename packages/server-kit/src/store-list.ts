/**
 * The run store's `list`: the runs matching a filter (status, kind, model,
 * sweep), newest first, a page at a time, and how many match in all.
 */
import { PopulaceError } from '@populace/core';
import { describe } from './describe.js';
import { RUN_KINDS, RUN_STATUSES, type RunRecord } from './run-record.js';
import type { SqliteDatabase } from './sqlite.js';
import { toRecord, type RunRow } from './store-columns.js';
import { SELECT } from './store-rows.js';
import type { RunFilter } from './store-types.js';

/** Runs of `db` matching `filter`, newest first, and how many match in all. */
export function listRuns(db: SqliteDatabase, filter: RunFilter): { runs: RunRecord[]; total: number } {
  const where: string[] = [];
  const args: unknown[] = [];
  const oneOf = (column: string, value: string | readonly string[] | undefined, allowed: readonly string[], name: string) => {
    if (value === undefined) return;
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values) || values.some((v) => !allowed.includes(v))) {
      throw new PopulaceError('invalid-argument', `list runs: ${name} expected one or more of ${allowed.join(', ')}, received ${describe(value)}.`, { details: { expected: allowed } });
    }
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    args.push(...values);
  };
  oneOf('status', filter.status, RUN_STATUSES, 'status');
  oneOf('kind', filter.kind, RUN_KINDS, 'kind');
  if (filter.model !== undefined) {
    where.push('model = ?');
    args.push(filter.model);
  }
  if (filter.parentId !== undefined) {
    where.push(filter.parentId === null ? 'parent_id IS NULL' : 'parent_id = ?');
    if (filter.parentId !== null) args.push(filter.parentId);
  }
  const limit = filter.limit ?? 50;
  const offset = filter.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new PopulaceError('invalid-argument', `list runs: limit expected an integer in [1, 1000], received ${describe(limit)}.`);
  if (!Number.isInteger(offset) || offset < 0) throw new PopulaceError('invalid-argument', `list runs: offset expected a non-negative integer, received ${describe(offset)}.`);
  const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM runs${clause}`).get(...args) as { n: number }).n;
  const rows = db.prepare(`${SELECT}${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...args, limit, offset) as RunRow[];
  return { runs: rows.map(toRecord), total };
}
