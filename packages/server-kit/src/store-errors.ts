/**
 * What the run store says when SQLite fails: a store that cannot be opened
 * (not a SQLite file, a device, a read-only or full disk) and a write that
 * cannot be made (a full disk, a lock held too long, an I/O error). Each is a
 * PopulaceError naming what was not recorded, SQLite's reason and the fix.
 */
import { statSync } from 'node:fs';
import { PopulaceError } from '@populace/core';
import { DB_ENV } from './db-path.js';

/** Whether `error` came from SQLite (better-sqlite3's SqliteError carries a code such as SQLITE_FULL). */
export function isSqliteError(error: unknown): error is Error & { readonly code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && (error as unknown as { code: string }).code.startsWith('SQLITE_');
}

/** SQLite's reason in one phrase, and what the operator can do about it. */
function reasonOf(error: unknown): { reason: string; fix: string } {
  const code = isSqliteError(error) ? error.code : undefined;
  const reason = `${error instanceof Error ? error.message : String(error)}${code ? `, ${code}` : ''}`;
  if (code === undefined) return { reason, fix: 'Check the file and its disk.' };
  if (code.startsWith('SQLITE_FULL')) return { reason, fix: 'Free space on its disk (or raise the file size limit).' };
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_AUTH')) {
    return { reason, fix: 'Make the file and its directory writable, or use another file.' };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { reason, fix: 'Another process holds a lock on the file for too long: stop it or give this server its own file.' };
  if (code.startsWith('SQLITE_IOERR')) return { reason, fix: 'Free space on its disk (or raise the file size limit) and check the disk for errors.' };
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return { reason, fix: 'The file is not a Populace run store: use another file.' };
  return { reason, fix: 'Check the file and its disk.' };
}

/**
 * The error of a store that could not be opened at `file`: a `config-invalid` PopulaceError
 * (a server exits 2 with it) that says why and how to pass another file.
 */
export function openFailed(file: string, error: unknown): PopulaceError {
  if (PopulaceError.isInstance(error)) return error;
  const { reason, fix } = reasonOf(error);
  return new PopulaceError('config-invalid', `could not open the run store ${file} (${reason}). ${fix} Pass a SQLite run store file, or the path of a new one, with --db (or ${DB_ENV}).`, {
    cause: error,
    details: { path: file, ...(isSqliteError(error) ? { sqlite: error.code } : {}) },
  });
}

/**
 * Refuses a store path that exists but is not a regular file (a directory, a FIFO, a device such
 * as /dev/full): SQLite would block on it or fail on the first write.
 */
export function checkStoreFile(file: string): void {
  if (file === ':memory:') return;
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return; // a new file: SQLite creates it (a missing directory is reported by the open)
  }
  if (stat.isFile()) return;
  const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isCharacterDevice() ? 'a character device' : stat.isBlockDevice() ? 'a block device' : stat.isSocket() ? 'a socket' : 'not a regular file';
  throw new PopulaceError('config-invalid', `could not open the run store ${file}: it is ${kind}, not a SQLite file. Pass the path of a run store file (or of a new one) with --db (or ${DB_ENV}).`, { details: { path: file } });
}

/**
 * The error of a write the store could not make: a `write-failed` PopulaceError saying what of
 * which run was not recorded, SQLite's reason and the fix (no file path: it reaches clients).
 */
export function writeFailed(what: string, error: unknown): PopulaceError {
  const { reason, fix } = reasonOf(error);
  return new PopulaceError('write-failed', `the run store could not record ${what} (${reason}). ${fix}`, { cause: error, details: isSqliteError(error) ? { sqlite: error.code } : {} });
}
