/**
 * The jobs of `run` (and the commands that follow it) through server-kit's
 * executor and job operations, as the servers run them: the command line
 * becomes an operation's input (validated by its declaration), the executor
 * checks and records the job in the run store and runs it, and the command
 * follows it to its end. Ctrl-C cancels it after the current step; the
 * store keeps the steps completed.
 */
import { allocationError, availableMemory, checkAgentCount, checkMemory, estimateSimulationMemory, PopulaceError, resolveParams, type BackendChoice, type BackendInfo, type MemoryEstimate, type ModelDescription, type ParamValue, type PopulaceErrorCode, type PopulationFile, type Runtime, type Simulation, type SimulationInfo } from '@populace/core';
import { callOperation, isTerminal, type Operation, type RunEvent, type RunLimits, type RunRecord, type ServerKit } from '@populace/server-kit';
import path from 'node:path';
import { NO_LIMITS, openCliKit } from './cli-kit.js';
import { composeFromArgs } from './composed-simulation.js';
import { inputValues } from './input-series.js';
import type { ResolvedIO } from './io.js';
import { loadRuntime } from './plugins.js';
import { openPopulation, type SimulationArgs } from './simulation-options.js';

/** The longest a job operation waits in one call (its waitSeconds field's maximum); the command then waits on. */
const WAIT_SECONDS = 600;

/** A job ready to submit: the runtime, what the model is, and the operation input of the command line. */
export interface OpenedJob {
  readonly runtime: Runtime;
  readonly description: ModelDescription;
  /** The fields every job operation shares (model, population, agents, seed, params, inputs, composition). */
  readonly request: Readonly<Record<string, unknown>>;
  /** The population manifest --population named, opened (for its digest). */
  readonly populationFile?: PopulationFile;
  /**
   * Estimates the memory of `steps` steps (differentiated with `gradient`) and refuses, before
   * anything is built, a job this machine cannot hold (a usage error with both numbers and the fix).
   */
  readonly checkMemory: (steps: number, gradient: boolean) => MemoryEstimate;
  /** The last estimate checkMemory made (the numbers of an allocation that fails anyway). */
  readonly estimate: () => MemoryEstimate | undefined;
}

/**
 * Loads the runtime and describes the job of a command line without building anything: the model
 * (or composition), its description, the population manifest if one is named, and the request.
 */
export async function openJob(a: SimulationArgs, io: ResolvedIO): Promise<OpenedJob> {
  const { runtime } = await loadRuntime({ ...a.plugins, backend: a.backend });
  const inputs = await inputValues(a.inputs, io.cwd);
  const composition = a.composed ? composeFromArgs(runtime, a.composed, (v) => openPopulation(runtime, v, io.cwd)) : undefined;
  const description = composition ? runtime.describeDefinition(composition.id, composition.definition) : runtime.describeModel(a.model);
  const opened = a.population === undefined ? undefined : openPopulation(runtime, a.population, io.cwd);
  const populationFile = typeof opened === 'object' ? opened : undefined;
  // the agents within the population's limit, before the memory of that many is estimated
  if (!composition && a.population !== undefined) checkAgentCount(a.agents, populationFile ?? runtime.populations.get(a.population));
  // parameter names and bounds, with core's messages (names the operation's input refuses, such as __proto__, included)
  if (!composition) resolveParams(runtime.models.get(description.id).definition.parameters, a.params, description.id);
  const series = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === 'number' ? v : [...v]]));
  const request: Record<string, unknown> = {
    model: a.model,
    seed: a.seed,
    ...(Object.keys(a.params).length > 0 ? { params: a.params } : {}),
    ...(a.inputs.length > 0 ? { inputs: series } : {}),
    ...(a.composed
      ? {
          ...(a.composed.links.length > 0 ? { links: [...a.composed.links] } : {}),
          ...(a.composed.populations.size > 0 ? { populations: Object.fromEntries(a.composed.populations) } : {}),
          ...(a.composed.agents.size > 0 ? { memberAgents: Object.fromEntries(a.composed.agents) } : {}),
        }
      : {
          ...(a.population === undefined ? {} : { population: a.population }),
          ...(a.agents === undefined ? {} : { agents: a.agents }),
        }),
  };
  let estimate: MemoryEstimate | undefined;
  const check = (steps: number, gradient: boolean): MemoryEstimate => {
    const population = composition || a.population === undefined || populationFile || !runtime.populations.has(a.population) ? undefined : runtime.populations.get(a.population).definition;
    estimate = estimateSimulationMemory({ model: composition ? composition.definition : runtime.models.get(description.id).definition, population, agents: a.agents, steps, gradient });
    checkMemory(estimate, `${gradient ? 'this gradient run' : 'this run'} of ${description.id}`, availableMemory(io.env));
    return estimate;
  };
  return { runtime, description, request, ...(populationFile ? { populationFile } : {}), checkMemory: check, estimate: () => estimate };
}

/** The error of a job that failed, as the command reports it (a PopulaceError keeps its code: exit 2). */
export function jobError(record: RunRecord, estimate?: MemoryEstimate): Error {
  const error = record.error ?? { code: 'internal', message: `${record.kind} ${record.id} failed.` };
  if (error.code === 'internal') return allocationError(new Error(error.message), `the simulation of ${record.model}`, estimate) as Error;
  return new PopulaceError(error.code as PopulaceErrorCode, error.message, { details: { runId: record.id } });
}

/** How `followJob` reports and stops. */
export interface FollowOptions {
  /** Ctrl-C: the job is cancelled after its current step (epoch) and its record returned. */
  readonly signal?: AbortSignal | undefined;
  /** Every event of the job (progress bars). */
  readonly onEvent?: ((event: RunEvent) => void) | undefined;
}

/** A job's record at its end, and whether Ctrl-C stopped it. */
export interface FollowedRun {
  readonly record: RunRecord;
  readonly interrupted: boolean;
}

/**
 * Runs a job operation (run_simulation, calibrate, sensitivity) with `input` on the kit's executor
 * and follows the job to its end. A job refused when submitted throws (nothing is recorded).
 *
 * @example
 * ```ts
 * const { record } = await followJob(kit, runOperation, { model: 'network-sir', steps: 30 });
 * kit.store.series(record.id).series; // the metrics, one value per step
 * ```
 */
export async function followJob(kit: ServerKit, op: Operation, input: Readonly<Record<string, unknown>>, options: FollowOptions = {}): Promise<FollowedRun> {
  const { signal, onEvent } = options;
  const unsubscribe = onEvent ? kit.executor.subscribe(onEvent) : () => undefined;
  try {
    const first = (await callOperation(op, { ...input, waitSeconds: WAIT_SECONDS }, { ...kit, ...(signal ? { signal } : {}) })) as { run: RunRecord };
    let record = first.run;
    while (!isTerminal(record.status)) {
      if (signal?.aborted) {
        // a queue executor's worker stops at its next step: wait for the end it records
        const cancelled = (await kit.executor.cancel(record.id)).record;
        record = isTerminal(cancelled.status) ? cancelled : await kit.executor.wait(record.id);
        break;
      }
      record = await kit.executor.wait(record.id, signal ? { signal } : {});
    }
    return { record, interrupted: record.status === 'cancelled' };
  } finally {
    unsubscribe();
  }
}

/** What only a job's simulation knows, read through the executor's onSimulation hook. */
export interface SimulationSeen {
  /** Resolves once the simulation is built: its backend (and why) and agents per type. */
  readonly info: Promise<SimulationInfo>;
  /** Its population as the simulation names it (a composed run: `a=<id>,b=(none)`), or null. */
  readonly population: string | null;
  /** The parameters when the job ended. */
  params?: Readonly<Record<string, ParamValue>>;
  /** What the job threw, as thrown (its stack), if anything. */
  failure?: unknown;
}

/**
 * Opens the kit a command's job runs on: the run store (--db, else in memory), an executor
 * without operator limits (the command checked the memory itself) that reads manifests from the
 * command's directory — in process, with a hook that keeps what the simulation knows (`seen()`;
 * `onEnd(sim)` reads more before the simulation is disposed), or on Redis's queue (--redis) for
 * populace-worker processes, where the simulation stays on the worker.
 */
export async function openJobKit(job: OpenedJob, io: ResolvedIO, options: { readonly db?: string | undefined; readonly redis?: string | undefined; readonly behaviorModel?: unknown; readonly onEnd?: (sim: Simulation) => void; readonly limits?: Partial<RunLimits> }): Promise<{ kit: ServerKit; seen: () => SimulationSeen | undefined }> {
  let seen: SimulationSeen | undefined;
  const kit = await openCliKit(job.runtime, {
    db: options.db === undefined ? undefined : path.resolve(io.cwd, options.db),
    redis: options.redis,
    limits: { ...NO_LIMITS, ...options.limits },
    executor: {
      memoryBudget: Infinity,
      dataDirs: { dirs: [], anyFrom: io.cwd },
      ...(options.behaviorModel === undefined ? {} : { behaviorModel: options.behaviorModel }),
      onSimulation: (_id, sim) => {
        const info = sim.ready();
        info.catch(() => undefined);
        const s: SimulationSeen = { info, population: sim.population ?? null };
        seen = s;
        return (failure) => {
          Object.assign(s, { params: sim.params, failure });
          try {
            options.onEnd?.(sim);
          } catch {
            // a simulation that failed to build has nothing more to report
          }
        };
      },
    },
  });
  return { kit, seen: () => seen };
}

/** The agents per type and the backend of a job's simulation (from the record when it was never built). */
export async function jobFacts(record: RunRecord, seen: SimulationSeen | undefined, description: ModelDescription, requested: BackendChoice | undefined): Promise<{ agentsByType: Readonly<Record<string, number>>; backend: BackendInfo; agents: number }> {
  const info = await seen?.info.catch(() => undefined);
  const firstType = Object.keys(description.agentTypes)[0]!;
  const agentsByType = info?.agents ?? { [firstType]: record.agents };
  const reason = record.worker ? `chosen by populace-worker ${record.worker}` : 'the job stopped before its simulation was built';
  const backend: BackendInfo = info?.backend ?? { name: (record.backend ?? 'cpu') as BackendInfo['name'], requested: record.worker ? 'auto' : (requested ?? 'auto'), package: '', reason };
  return { agentsByType, backend, agents: agentsByType[firstType] ?? record.agents };
}
