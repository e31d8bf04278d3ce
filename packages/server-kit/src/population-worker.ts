/**
 * Population builds off the event loop: a build of millions of agents takes
 * seconds of synchronous work, during which a server would answer nobody.
 * `createPopulationBuilder` runs large builds in a worker thread that loads
 * the population's plugin from where the server found it (its module, or
 * the same config and package discovery), and receives the agent tables with
 * their arrays transferred. Small builds stay in this thread: starting a
 * worker costs more than they do.
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
  readonly agents: number;
  readonly seed: number;
}

/** Builds a population's agent tables (no contact networks), given its full id. */
export type PopulationBuilder = (runtime: Runtime, id: string, agents: number, seed: number) => Promise<PopulationData>;

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

function inWorker(request: PopulationWorkerRequest): Promise<PopulationData> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: request });
    let settled = false;
    worker.once('message', (m: { ok: true; agents: Record<string, AgentTable> } | { ok: false; code: string; message: string; details?: Record<string, unknown> }) => {
      settled = true;
      if (m.ok) resolve({ agents: m.agents });
      else reject(m.code === 'internal' ? new Error(m.message) : new PopulaceError(m.code as never, m.message, m.details ? { details: m.details } : {}));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the population worker stopped (exit code ${code}) before it answered.`));
      settled = true;
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
 * const data = await build(runtime, 'populations/nyc', 2_000_000, 0); // the event loop stays free
 * ```
 */
export function createPopulationBuilder(options: PopulationBuilderOptions): PopulationBuilder {
  const threshold = options.offThreadAgents ?? DEFAULT_OFF_THREAD_AGENTS;
  return async (runtime, id, agents, seed) => {
    if (agents < threshold) return runtime.populations.get(id).definition.build({ agents, seed });
    return inWorker({ source: options.source, id, agents, seed });
  };
}
