/**
 * What the queue executor and its workers exchange through Redis (BullMQ job
 * data, progress and return values, all plain JSON), and the checked Redis
 * URL both sides connect with.
 */
import { hostname } from 'node:os';
import { PopulaceError } from '@populace/core';
import type { ParamValue } from '@populace/core';
import type { CheckedJob, CheckedSimulation } from '../job-request.js';
import type { RunError, RunOutcome } from '../run-record.js';

/** The BullMQ queue the servers put jobs on and the workers take them from (default). */
export const DEFAULT_QUEUE_NAME = 'populace-jobs';

/** A job on the queue: one run, calibration or sensitivity (a sweep puts one per run). */
export interface QueueJobData {
  /** The run store id (also the BullMQ job id, so a job is queued once). */
  readonly runId: string;
  readonly job: Exclude<CheckedJob, { kind: 'scenarios' }>;
  /** The accepting server's wall-time limit (null: none). */
  readonly maxWallMs: number | null;
  /** The server's plugins the job's ids come from (model, population, archetypes), with their versions. */
  readonly plugins: readonly PluginVersion[];
}

/** A plugin by name and version. */
export interface PluginVersion {
  readonly name: string;
  readonly version: string;
}

/** The plugins of `available` whose ids (`plugin/id`) the simulation names. */
export function pluginsOf(available: readonly PluginVersion[], sim: CheckedSimulation): PluginVersion[] {
  const ids = [sim.model, ...(sim.population !== null && sim.populationFile === null ? [sim.population] : []), ...Object.values(sim.behaviors)];
  const names = new Set(ids.map((id) => id.split('/')[0]!));
  return available.filter((p) => names.has(p.name)).map((p) => ({ name: p.name, version: p.version }));
}

/**
 * Why a worker with plugins `have` cannot run a job that needs `need` (a plugin missing, or at
 * another version: same seed, same metrics holds only for the same code), or null when it can.
 */
export function pluginMismatch(have: readonly PluginVersion[], need: readonly PluginVersion[], worker: string): string | null {
  for (const n of need) {
    const h = have.find((p) => p.name === n.name);
    if (!h) return `worker ${worker} has no plugin '${n.name}' (${n.version} on the server; its plugins: ${have.map((p) => `${p.name} ${p.version}`).join(', ') || 'none'}). Start workers with the --plugin that provides it.`;
    if (h.version !== n.version) return `worker ${worker} has plugin '${n.name}' ${h.version}, the server ${n.version}: runs need the same version on both (same seed, same metrics). Install ${n.name} ${n.version} on the worker.`;
  }
  return null;
}

/** Progress a worker reports: the backend once built, each step's metrics, each epoch. */
export type QueueProgress =
  | { readonly t: 'backend'; readonly worker: string; readonly backend: string; readonly agents: number | null }
  | { readonly t: 'step'; readonly step: number; readonly values: readonly (number | null)[] }
  | { readonly t: 'epoch'; readonly epoch: number; readonly loss: number; readonly params: Readonly<Record<string, ParamValue>> };

/** What a worker returns: the whole series (the store is rewritten with it) and the outcome. */
export interface QueueResult {
  readonly worker: string;
  /** The tensor backend and the built agent count (also sent as progress, which may be missed). */
  readonly backend: string | null;
  readonly agents: number | null;
  readonly series: Readonly<Record<string, readonly (number | null)[]>>;
  readonly outcome: RunOutcome | null;
  /** Why the job stopped early (a cancel or the wall-time limit), null when it completed. */
  readonly stop: 'cancel' | 'wall-time' | null;
}

/** This process as a worker name: host and pid. */
export const workerName = (): string => `${hostname()}:${process.pid}`;

/** The Redis key a server sets to ask the worker running `runId` to stop. */
export const cancelKey = (prefix: string, queue: string, runId: string): string => `${prefix}:${queue}:populace-cancel:${runId}`;

const FAILURE = /^populace:([a-z-]+): ([\s\S]*)$/;

/** A failure as a BullMQ failed reason (the worker throws it). */
export const encodeFailure = (error: RunError): string => `populace:${error.code}: ${error.message}`;

/** A BullMQ failed reason as the run error it carries (`internal` for one no worker encoded). */
export function decodeFailure(reason: string | undefined): RunError {
  const m = FAILURE.exec(reason ?? '');
  if (m) return { code: m[1]!, message: m[2]! };
  return { code: 'internal', message: `the job failed on the queue: ${reason ?? 'no reason given'}` };
}

/** JSON has no NaN: metric values travel as null. */
export const toWire = (values: readonly number[]): (number | null)[] => values.map((v) => (Number.isFinite(v) ? v : null));
export const fromWire = (values: readonly (number | null)[]): number[] => values.map((v) => (v === null ? Number.NaN : v));

/** A checked Redis URL: what ioredis connects to, and the URL without its password (for logs). */
export interface RedisTarget {
  readonly url: string;
  readonly display: string;
}

/**
 * Checks a `--redis` value: `redis://[user:password@]host[:port][/db]` or `rediss://` (TLS).
 *
 * @example
 * ```ts
 * parseRedisUrl('redis://127.0.0.1:6379/0').display; // 'redis://127.0.0.1:6379/0'
 * ```
 */
export function parseRedisUrl(text: unknown, option = '--redis'): RedisTarget {
  const expected = `${option}: expected a Redis URL such as redis://127.0.0.1:6379 (rediss:// for TLS, redis://:password@host:6379/0 with a password)`;
  if (typeof text !== 'string' || text.trim() === '') throw new PopulaceError('invalid-argument', `${expected}, received ${JSON.stringify(text)}.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PopulaceError('invalid-argument', `${expected}, received ${JSON.stringify(text)}.`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new PopulaceError('invalid-argument', `${expected}; the scheme ${JSON.stringify(url.protocol)} is not redis: or rediss:.`);
  if (url.hostname === '') throw new PopulaceError('invalid-argument', `${expected}; ${JSON.stringify(text)} names no host.`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new PopulaceError('invalid-argument', `${expected}; the database ${JSON.stringify(db)} is not a number.`);
  if (url.search !== '' || url.hash !== '') throw new PopulaceError('invalid-argument', `${expected}; query strings and fragments are not supported.`);
  const display = new URL(url.href);
  if (display.password) display.password = '***';
  return { url: url.href, display: display.href };
}
