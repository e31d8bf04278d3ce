/**
 * The run store's schema and its migrations. `PRAGMA user_version` holds the
 * schema version; opening a store applies the missing migrations in one
 * transaction, and refuses a database written by a newer version.
 */
import { PopulaceError } from '@populace/core';
import type { SqliteDatabase } from './sqlite.js';

/** Migration `i` takes the schema from version i to version i + 1. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('run', 'calibrate', 'sensitivity', 'scenarios')),
    parent_id TEXT,
    label TEXT,
    model TEXT NOT NULL,
    population TEXT,
    agents INTEGER NOT NULL,
    steps INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    params TEXT NOT NULL,
    backend TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress_done INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER NOT NULL,
    progress_unit TEXT NOT NULL,
    steps_recorded INTEGER NOT NULL DEFAULT 0,
    metric_names TEXT NOT NULL,
    options TEXT NOT NULL,
    result TEXT,
    error_code TEXT,
    error_message TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    owner TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_status ON runs (status);
  CREATE INDEX runs_parent ON runs (parent_id);
  CREATE TABLE run_metrics (
    run_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    vals TEXT NOT NULL,
    PRIMARY KEY (run_id, step)
  ) WITHOUT ROWID;
  CREATE TABLE owners (
    id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  `,
  // the worker that ran a job (BullMQ executor): its own column, no longer packed into backend
  // as '<backend> on <worker>'; existing records are split
  `
  ALTER TABLE runs ADD COLUMN worker TEXT;
  UPDATE runs SET worker = substr(backend, instr(backend, ' on ') + 4), backend = substr(backend, 1, instr(backend, ' on ') - 1) WHERE instr(backend, ' on ') > 0;
  `,
];

/** The schema version this package writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings `db` to SCHEMA_VERSION; returns the version it had. */
export function migrate(db: SqliteDatabase, file: string): number {
  // BEGIN IMMEDIATE: two processes opening a new file at once migrate it once
  return db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from > SCHEMA_VERSION) {
      throw new PopulaceError('config-invalid', `run store ${file} has schema version ${from}, newer than this @populace/server-kit understands (${SCHEMA_VERSION}). Upgrade @populace/server-kit or use another --db.`, { details: { path: file, version: from } });
    }
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (from !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return from;
  }).immediate();
}
