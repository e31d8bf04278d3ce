/**
 * Who holds which runs. Every open store registers itself as an owner (pid,
 * host, heartbeat) and stamps the runs it starts; a run whose owner is gone
 * (its process dead on this host, or no heartbeat for a while) is reported
 * as interrupted instead of staying "running" forever. Several processes can
 * therefore share one database file without failing each other's runs.
 *
 * On this host an owner is alive while its process is (a long synchronous
 * gradient pass may delay heartbeats, so they are not used here); an owner on
 * another host (a shared file system) is alive while its heartbeat is fresh.
 */
import { hostname } from 'node:os';
import type { SqliteDatabase } from './sqlite.js';

/** An owner row. */
interface OwnerRow {
  readonly id: string;
  readonly pid: number;
  readonly host: string;
  readonly heartbeat_at: number;
}

/** Whether process `pid` exists on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Registers an owner; returns a function that refreshes its heartbeat. */
export function registerOwner(db: SqliteDatabase, id: string): () => void {
  const now = Date.now();
  db.prepare('INSERT INTO owners (id, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)').run(id, process.pid, hostname(), now, now);
  const beat = db.prepare('UPDATE owners SET heartbeat_at = ? WHERE id = ?');
  return () => {
    beat.run(Date.now(), id);
  };
}

/** Ids of the owners that are alive; dead owners' rows are deleted. */
export function liveOwners(db: SqliteDatabase, staleMs: number): Set<string> {
  const host = hostname();
  const now = Date.now();
  const live = new Set<string>();
  const remove = db.prepare('DELETE FROM owners WHERE id = ?');
  for (const o of db.prepare('SELECT id, pid, host, heartbeat_at FROM owners').all() as OwnerRow[]) {
    const alive = o.host === host ? processAlive(o.pid) : now - o.heartbeat_at <= staleMs;
    if (alive) live.add(o.id);
    else remove.run(o.id);
  }
  return live;
}
