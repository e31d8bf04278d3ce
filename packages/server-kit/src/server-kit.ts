/**
 * One object with what a server needs: the runtime, the run store and an
 * executor on both, built from options or from a command line's values.
 */
import { BACKEND_CHOICES, memoryLimitFromEnv, PopulaceError, threadsFromEnv, type BackendChoice, type Runtime } from '@populace/core';
import { behaviorModelFromEnv } from './behavior-model.js';
import { resolveDbPath } from './db-path.js';
import type { Executor } from './executor.js';
import { createInProcessExecutor, type InProcessExecutorOptions } from './in-process-executor.js';
import type { PluginSource } from './plugins/installed-packages.js';
import { loadRuntime } from './plugins/load-runtime.js';
import { pluginsFromEnv } from './plugins/plugin-specifiers.js';
import type { RunLimits } from './limits.js';
import { resolveDataDirs, type DataDirs } from './population-files.js';
import { openRunStore, type RunStore } from './run-store.js';
import { createPopulationBuilder, type CountingPopulationBuilder, type PopulationBuilder } from './population-worker.js';

/** A runtime, a run store and an executor. */
export interface ServerKit {
  readonly runtime: Runtime;
  readonly store: RunStore;
  readonly executor: Executor;
  /**
   * The population builder of the kit, shared by its executor's runs and the servers' analysis
   * fields (populationStats): large builds in a worker thread. Undefined: builds in this thread.
   */
  readonly populationBuilder?: PopulationBuilder | undefined;
  /** Stops the executor (unfinished jobs end as interrupted) and closes the store. */
  close(): Promise<void>;
}

/** Options of `createServerKit`. */
export interface ServerKitOptions {
  /** The runtime whose plugins the server offers. */
  readonly runtime: Runtime;
  /** The run store file (see resolveDbPath), or an open store (then `close` leaves it open). */
  readonly db: string | RunStore;
  readonly limits?: Partial<RunLimits> | undefined;
  /** Jobs running at once (default os.availableParallelism()). */
  readonly concurrency?: number | undefined;
  /** The chat model LLM archetypes ask when a job fills a behaviour slot (default: their offline priors). */
  readonly behaviorModel?: unknown;
  /** Directories population manifests may be read from (resolveDataDirs); default none: manifests are refused. */
  readonly dataDirs?: DataDirs | undefined;
  /** How populations are built, for runs and analysis fields (createPopulationBuilder); default in this thread. */
  readonly populationBuilder?: PopulationBuilder | undefined;
  /** Bytes the running jobs may hold together by their estimates (see InProcessExecutorOptions.memoryBudget). */
  readonly memoryBudget?: number | undefined;
  /** Builds the executor on the store instead of the in-process one (e.g. openServerKit's queue executor for --redis). */
  readonly createExecutor?: ((store: RunStore) => Executor) | undefined;
  /** The in-process executor's hook on each job's simulation (see InProcessExecutorOptions.onSimulation). */
  readonly onSimulation?: InProcessExecutorOptions['onSimulation'];
}

/**
 * Opens the store and starts an in-process executor on it.
 *
 * @example
 * ```ts
 * const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin] }), db: 'runs.db' });
 * const run = kit.executor.submit({ kind: 'run', model: 'network-sir', population: 'random-graph', agents: 2000 });
 * await kit.executor.wait(run.id);
 * await kit.close();
 * ```
 */
export function createServerKit(options: ServerKitOptions): ServerKit {
  const owned = typeof options.db === 'string';
  const store = typeof options.db === 'string' ? openRunStore({ path: options.db }) : options.db;
  let executor: Executor;
  try {
    executor = options.createExecutor ? options.createExecutor(store) : createInProcessExecutor({ runtime: options.runtime, store, ...(options.limits ? { limits: options.limits } : {}), ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }), ...(options.behaviorModel === undefined ? {} : { behaviorModel: options.behaviorModel }), ...(options.dataDirs ? { dataDirs: options.dataDirs } : {}), populationBuilder: options.populationBuilder, memoryBudget: options.memoryBudget, ...(options.onSimulation ? { onSimulation: options.onSimulation } : {}) });
  } catch (error) {
    if (owned) store.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    runtime: options.runtime,
    store,
    executor,
    populationBuilder: options.populationBuilder,
    close: () =>
      (closing ??= (async () => {
        await executor.close();
        if (owned) store.close();
      })()),
  };
}

/**
 * One line per loaded plugin saying where it came from, for a server's start-up log.
 *
 * @example
 * ```ts
 * describePluginSources(kit.pluginSources); // 'epi 0.1.0 (--plugin @populace/models-epi: /srv/.../models-epi), example 0.1.0 (builtin)'
 * ```
 */
export function describePluginSources(sources: readonly PluginSource[]): string {
  return sources.map((s) => `${s.plugin.name} ${s.plugin.version} (${s.from === 'specifier' ? `--plugin ${s.specifier}` : s.from}${s.location ? `: ${s.location}` : ''})`).join(', ');
}

/** What a server's command line says about its kit. */
export interface ServerKitArgs {
  /** --db (else POPULACE_DB, else ./populace-runs.db). */
  readonly db?: string | undefined;
  /** --config: the populace.config file (else the one in cwd, else installed plugin packages). */
  readonly config?: string | undefined;
  /** --plugin: plugins by package name or path, loaded before the config's (POPULACE_PLUGINS adds more). */
  readonly plugins?: readonly string[] | undefined;
  /** --data-dir: directories population manifests may be read from (none: manifests are refused). */
  readonly dataDirs?: readonly string[] | undefined;
  readonly backend?: BackendChoice | undefined;
  readonly concurrency?: number | undefined;
  readonly limits?: Partial<RunLimits> | undefined;
  /** Bytes the running jobs may hold together (default: the memory available at start). */
  readonly memoryBudget?: number | undefined;
  /** --redis: jobs go on this Redis's queue for populace-worker processes (default: run in process). */
  readonly redis?: string | undefined;
}

/**
 * Builds a kit the way the tools do: the plugins of the config file or of installed packages
 * plus the built-in example plugin (`loadRuntime`), the store at `resolveDbPath`, and the
 * chat model of POPULACE_LLM_PROVIDER for LLM archetypes (none: their offline priors), returned as
 * `behaviorModel` (undefined when none is set) so a server can reuse it, e.g. for its analyzer.
 * One population builder (`populationBuilder`) finds the plugins the same way in a worker thread;
 * the executor's runs and the server's analysis fields share it.
 */
export async function openServerKit(args: ServerKitArgs & { readonly cwd?: string; readonly env?: Readonly<Record<string, string | undefined>> }): Promise<ServerKit & { readonly populationBuilder: CountingPopulationBuilder; readonly dbPath: string; readonly behaviorModel: unknown; readonly pluginSources: readonly PluginSource[] }> {
  if (args.backend !== undefined && !BACKEND_CHOICES.includes(args.backend)) {
    throw new PopulaceError('invalid-argument', `--backend: expected one of ${BACKEND_CHOICES.join(', ')}, received ${JSON.stringify(args.backend)}.`);
  }
  // environment variables are checked at startup, so a bad value fails here, not in every run
  for (const env of args.env === undefined ? [process.env] : [args.env, process.env]) {
    threadsFromEnv(env);
    memoryLimitFromEnv(env);
  }
  const cwd = args.cwd ?? process.cwd();
  const dataDirs = resolveDataDirs(args.dataDirs ?? [], cwd);
  const plugins = [...(args.plugins ?? []), ...pluginsFromEnv(args.env ?? process.env)];
  const { runtime, sources } = await loadRuntime({ cwd, plugins, ...(args.config === undefined ? {} : { config: args.config }), ...(args.backend === undefined ? {} : { backend: args.backend }) });
  const dbPath = resolveDbPath({ db: args.db, cwd, ...(args.env ? { env: args.env } : {}) });
  const behaviorModel = await behaviorModelFromEnv(args.env ?? process.env);
  // large builds, of runs and of statistics alike, run in a worker that finds the plugins the way this server did
  const populationBuilder = createPopulationBuilder({ source: { cwd, config: args.config, plugins } });
  const createExecutor = args.redis === undefined ? undefined : await queueExecutorFactory(runtime, args.redis, args.limits, args.concurrency, dataDirs);
  const kit = createServerKit({ runtime, db: dbPath, limits: args.limits, concurrency: args.concurrency, dataDirs, populationBuilder, memoryBudget: args.memoryBudget, createExecutor, ...(behaviorModel === undefined ? {} : { behaviorModel }) });
  return { ...kit, populationBuilder, dbPath, behaviorModel, pluginSources: sources };
}

/** For --redis: checks Redis answers, then builds queue executors (bullmq is loaded only then). */
async function queueExecutorFactory(runtime: Runtime, url: string, limits: Partial<RunLimits> | undefined, concurrency: number | undefined, dataDirs: DataDirs): Promise<(store: RunStore) => Executor> {
  const { checkRedis, createQueueExecutor, parseRedisUrl } = await import('./queue/index.js');
  const redis = parseRedisUrl(url);
  await checkRedis(redis);
  return (store) => createQueueExecutor({ runtime, store, redis, dataDirs, ...(limits ? { limits } : {}), ...(concurrency === undefined ? {} : { concurrency }) });
}
