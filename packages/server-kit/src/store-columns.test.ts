/**
 * The run record's fields against the columns of a fresh SQLite run store:
 * every field of runRecordSchema is read from columns its migrations created
 * (a new field without a migration fails here, by name), every column of
 * `runs` belongs to a field or to the store's bookkeeping, and a record
 * written through the column map reads back as the in-memory store keeps it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { removeTempDirs, tempDbPath } from './kit.fixture.js';
import { createMemoryRunStore } from './memory-run-store.js';
import { runRecordSchema } from './operations/run-record-schema.js';
import { openRunStore, type NewRun } from './run-store.js';
import { openSqlite } from './sqlite.js';
import { RECORD_COLUMNS, recordColumns, type FieldColumns } from './store-columns.js';

afterAll(removeTempDirs);

/** Columns of `runs` that are the store's own, not the record's. */
const BOOKKEEPING = ['seq', 'owner', 'cancel_requested'];

/** The columns of `runs` in a fresh store file, as SQLite reports them (PRAGMA table_info). */
function freshColumns(): Set<string> {
  const file = tempDbPath();
  openRunStore({ path: file }).close();
  const db = openSqlite(file, { timeoutMs: 1000 });
  try {
    return new Set((db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name));
  } finally {
    db.close();
  }
}

/** For each field whose columns are not all in `columns`: 'field -> missing columns'. */
const missing = (map: Record<string, FieldColumns>, columns: Set<string>): string[] =>
  Object.entries(map).flatMap(([field, c]) => {
    const absent = c.columns.filter((name) => !columns.has(name));
    return absent.length ? [`${field} -> ${absent.join(', ')} (add a migration to store-schema.ts)`] : [];
  });

const NEW: NewRun = { kind: 'calibrate', label: 'fit', parentId: 'run-000000000000', model: 'example/network-sir', population: 'example/random-graph', agents: 100, steps: 5, seed: 3, params: { beta: 0.05, gamma: [0.1, 0.2] }, metricNames: ['S', 'I'], options: { loss: 'mse' }, progress: { total: 40, unit: 'epochs' } };

describe('the run store columns of the run record', () => {
  it('maps every field of runRecordSchema to columns a fresh store has', () => {
    const columns = freshColumns();
    expect(Object.keys(RECORD_COLUMNS)).toEqual(Object.keys(runRecordSchema.shape));
    expect(missing(RECORD_COLUMNS, columns), 'run record fields without their columns in runs').toEqual([]);
    // and a field added to the schema without a migration is named
    const grown = recordColumns({ ...runRecordSchema.shape, unmigratedCount: z.number().int(), unmigratedHost: z.string().nullable() });
    expect(missing(grown, columns)).toEqual(['unmigratedCount -> unmigrated_count (add a migration to store-schema.ts)', 'unmigratedHost -> unmigrated_host (add a migration to store-schema.ts)']);
  });

  it('reads every column of runs into a field, but the store\'s bookkeeping', () => {
    const used = new Set(Object.values(RECORD_COLUMNS).flatMap((c) => c.columns));
    expect([...freshColumns()].filter((c) => !used.has(c) && !BOOKKEEPING.includes(c)), 'columns of runs no record field reads').toEqual([]);
  });

  it('writes and reads back the same record as the in-memory store keeps', () => {
    const sqlite = openRunStore({ path: tempDbPath() });
    const memory = createMemoryRunStore();
    const records = [sqlite, memory].map((store) => {
      const { id } = store.insert(NEW);
      store.markStarted(id);
      store.setBackend(id, 'cpu', 90, 'host:1');
      store.recordStep(id, 1, [99, 1], 3);
      store.finish(id, { status: 'failed', error: { code: 'limit-exceeded', message: 'over the wall time' }, result: { params: { beta: 0.07 }, start: { beta: 0.05 }, loss: 1.5, history: [2, 1.5], epochs: 2, stopped: 'aborted' } });
      const r = store.require(id);
      expect(runRecordSchema.parse(r), 'a stored record is valid against its schema').toEqual(r);
      return r;
    });
    sqlite.close();
    memory.close();
    const [fromSqlite, fromMemory] = records.map(({ id, createdAt, startedAt, finishedAt, wallMs, ...rest }) => ({ ...rest, times: [createdAt, startedAt, finishedAt].map((t) => typeof t), wallMs: typeof wallMs }));
    expect(fromSqlite).toEqual(fromMemory);
    expect(fromSqlite).toMatchObject({ label: 'fit', parentId: 'run-000000000000', agents: 90, backend: 'cpu', worker: 'host:1', status: 'failed', progress: { done: 3, total: 40, unit: 'epochs' }, stepsRecorded: 1, error: { code: 'limit-exceeded' }, result: { loss: 1.5 }, times: ['string', 'string', 'string'], wallMs: 'number' });
  });
});
