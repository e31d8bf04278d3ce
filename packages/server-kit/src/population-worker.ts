/**
 * Population builds off the event loop: a build of millions of agents takes
 * seconds of synchronous work, during which a server would answer nobody.
 * `createPopulationBuilder` runs large builds in a worker thread that loads
 * the population's plugin from where the server found it (its module, or
 * the same config and package discovery), and receives the agent tables
 * (and, for a run, the contact networks) with their arrays transferred, not
 * copied. An aborted build terminates its worker. Small builds stay in this
 * thread: starting a worker costs more than they do.
 */
import { Worker } from 'node:worker_threads';
import { PopulaceError, type AgentTable, type PopulationData, type Runtime } from '@populace/core';

/**
 * Where a worker finds the plugins: module specifiers or file URLs to import, or the discovery of
 * `loadRuntime` (cwd, config and the --plugin / POPULACE_PLUGINS specifiers the server was given).
 */
export type PopulationWorkerSource =
  | { readonly modules: readonly string[] }
  | { readonly cwd?: string | undefined; readonly config?: string | undefined; readonly plugins?: readonly string[] | undefined };

/** What the worker is sent. */
export interface PopulationWorkerRequest {
  readonly source: PopulationWorkerSource;
  readonly id: string;
  /** Agents to build (undefined: the population's default). */
  readonly agents: number | undefined;
  readonly seed: number;
  /** Whether the contact networks come back too (a run needs them; statistics do not). */
  readonly networks?: boolean;
}

/** Options of one build. */
export interface PopulationBuildRequestOptions {
  /** Also return the contact networks (default false: agent tables only). */
  readonly networks?: boolean | undefined;
  /** Aborting it stops the build (its worker is terminated) and rejects with `aborted`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Builds a population given its full id: its agent tables, and its networks when asked
 * (`agents` undefined: the population's default size).
 */
export type PopulationBuilder = (runtime: Runtime, id: string, agents: number | undefined, seed: number, options?: PopulationBuildRequestOptions) => Promise<PopulationData>;

/** What a builder of `createPopulationBuilder` has done. */
export interface PopulationBuilderStats {
  /** Builds finished in a worker thread. */
  readonly inWorker: number;
  /** Builds finished in this thread (smaller than `offThreadAgents`). */
  readonly inThread: number;
  /** Builds stopped by their signal (worker terminated). */
  readonly aborted: number;
  /** Worker threads alive now. */
  readonly workers: number;
}

/** A population builder that counts what it did. */
export type CountingPopulationBuilder = PopulationBuilder & { stats(): PopulationBuilderStats };

/** Options of `createPopulationBuilder`. */
export interface PopulationBuilderOptions {
  /** Where the worker finds the plugins. */
  readonly source: PopulationWorkerSource;
  /** Builds of at least this many agents go to a worker (default 50,000); smaller ones run here. */
  readonly offThreadAgents?: number;
}

/** Builds of at least this many agents go to a worker thread by default. */
export const DEFAULT_OFF_THREAD_AGENTS = 50_000;

const WORKER_URL = new URL('./population-worker-main.js', import.meta.url);

const abortedError = (request: PopulationWorkerRequest): PopulaceError => new PopulaceError('aborted', `the build of population '${request.id}' (${request.agents === undefined ? 'default size' : `${request.agents.toLocaleString('en-US')} agents`}) was stopped: its job was cancelled or went away.`);

type WorkerAnswer = { ok: true; agents: Record<string, AgentTable>; networks?: PopulationData['networks'] } | { ok: false; code: string; message: string; details?: Record<string, unknown> };

function inWorker(request: PopulationWorkerRequest, signal: AbortSignal | undefined, live: { workers: number }): Promise<PopulationData> {
  if (signal?.aborted) return Promise.reject(abortedError(request));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: request });
    live.workers += 1;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      settle(() => reject(abortedError(request)));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: WorkerAnswer) => {
      settle(() => {
        if (m.ok) resolve({ agents: m.agents, ...(m.networks ? { networks: m.networks } : {}) });
        else reject(m.code === 'internal' ? new Error(m.message) : new PopulaceError(m.code as never, m.message, m.details ? { details: m.details } : {}));
      });
      void worker.terminate();
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => {
      live.workers -= 1;
      settle(() => reject(new Error(`the population worker stopped (exit code ${code}) before it answered.`)));
    });
  });
}

/**
 * A population builder running builds of `offThreadAgents` agents or more in a worker thread (one
 * per build, so its memory is returned when it ends) and smaller ones in this thread.
 *
 * @example
 * ```ts
 * const build = createPopulationBuilder({ source: { cwd: process.cwd() } });
 * const data = await build(runtime, 'populations/nyc', 2_000_000, 0, { networks: true, signal }); // the event loop stays free
 * ```
 */
export function createPopulationBuilder(options: PopulationBuilderOptions): CountingPopulationBuilder {
  const threshold = options.offThreadAgents ?? DEFAULT_OFF_THREAD_AGENTS;
  if (!Number.isSafeInteger(threshold) || threshold < 0) throw new PopulaceError('invalid-argument', `offThreadAgents: expected a non-negative integer, received ${String(threshold)}.`);
  const counts = { inWorker: 0, inThread: 0, aborted: 0 };
  const live = { workers: 0 };
  const build = async (runtime: Runtime, id: string, agents: number | undefined, seed: number, opts: PopulationBuildRequestOptions = {}): Promise<PopulationData> => {
    const definition = runtime.populations.get(id).definition;
    if ((agents ?? definition.defaultAgents) < threshold) {
      if (opts.signal?.aborted) throw abortedError({ source: options.source, id, agents, seed });
      const data = await definition.build({ ...(agents === undefined ? {} : { agents }), seed });
      counts.inThread += 1;
      return opts.networks ? data : { agents: data.agents };
    }
    try {
      const data = await inWorker({ source: options.source, id, agents, seed, networks: opts.networks === true }, opts.signal, live);
      counts.inWorker += 1;
      return data;
    } catch (error) {
      if (PopulaceError.isInstance(error) && error.code === 'aborted') counts.aborted += 1;
      throw error;
    }
  };
  return Object.assign(build, { stats: (): PopulationBuilderStats => ({ ...counts, workers: live.workers }) });
}
