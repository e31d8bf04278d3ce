/**
 * The few better-sqlite3 calls the run store makes, typed here (the package
 * ships no types and @types/better-sqlite3 is not a dependency). The addon
 * is loaded on first use, so importing this package costs nothing until a
 * store is opened: better-sqlite3 is an optional peer dependency, installed
 * by the servers (which open a store) and not by the CLI (which does not).
 */
import { createRequire } from 'node:module';
import { PopulaceError } from '@populace/core';

/** A prepared statement. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** An open database connection. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** A function running `fn` in a transaction (`BEGIN`), or with `.immediate` in `BEGIN IMMEDIATE`. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
  close(): void;
  readonly open: boolean;
}

type DatabaseConstructor = new (file: string, options?: { timeout?: number; readonly?: boolean; fileMustExist?: boolean }) => SqliteDatabase;

let constructorCache: DatabaseConstructor | undefined;

/** Opens `file` with better-sqlite3; a missing or broken addon is a PopulaceError that says how to fix it. */
export function openSqlite(file: string, options: { timeoutMs: number }): SqliteDatabase {
  if (!constructorCache) {
    try {
      constructorCache = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /better-sqlite3/.test((error as Error).message.split('\n')[0] ?? '');
      throw new PopulaceError(
        'config-invalid',
        missing
          ? 'the run store needs the package better-sqlite3 (a native SQLite addon), which is not installed. Install it beside @populace/server-kit (npm install better-sqlite3); @populace/mcp-server and @populace/graphql install it for you.'
          : `the run store needs the better-sqlite3 native addon, which failed to load (${(error as Error).message.split('\n')[0]}). Reinstall it (npm rebuild better-sqlite3) on Node 20 or later.`,
        { cause: error, details: { package: 'better-sqlite3' } },
      );
    }
  }
  try {
    return new constructorCache(file, { timeout: options.timeoutMs });
  } catch (error) {
    throw new PopulaceError('write-failed', `could not open the run store ${file} (${(error as Error).message}). Check that its directory exists and is writable, or pass another path with --db.`, { cause: error, details: { path: file } });
  }
}
