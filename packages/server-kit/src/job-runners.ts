/**
 * Running one checked job (run, calibrate, sensitivity) on a fresh
 * simulation: metrics are stored as each step completes, progress is
 * reported, and the job stops between steps (epochs) when its signal aborts.
 */
import { composeChecked } from './check-composition.js';
import { calibrate, PopulaceError, runScheduled, sensitivity, SnapshotRecorder, type BehaviorSourceOptions, type ParamSchedules, type ParamValue, type PopulationDataSource, type PopulationFile, type RunOptions, type Runtime, type Simulation } from '@populace/core';
import { fillBehaviors } from './check-behaviors.js';
import type { RunEvent } from './executor.js';
import { snapshotJson, withOperatorHint, type RunSnapshotOutcome } from './check-snapshot.js';
import type { CheckedJob, CheckedSimulation } from './job-request.js';
import type { CalibrateOutcome, RunOutcome, SensitivityOutcome } from './run-record.js';
import type { RunStore } from './run-store.js';
import type { PopulationBuilder } from './population-worker.js';

/** What a running job reports to. */
export interface JobContext {
  readonly id: string;
  /** Where the job's backend, steps and epochs are recorded (the run store, or a queue worker's report to the server). */
  readonly store: Pick<RunStore, 'setBackend' | 'recordStep' | 'setProgress' | 'replaceSeries'>;
  readonly signal: AbortSignal;
  /** Called when the store says another process asked to cancel the job. */
  readonly onCancelRequested: () => void;
  /** Sends a progress event. */
  readonly emit: (event: Pick<RunEvent, 'progress' | 'step' | 'latest' | 'epoch'>) => void;
  /** The series so far, by metric (the runner appends to it). */
  readonly series: Record<string, number[]>;
}

/** The population file of a checked job, opened again; refused when its files changed since the job was checked. */
function reopen(runtime: Runtime, sim: CheckedSimulation): PopulationFile {
  const file = runtime.openPopulationFile(sim.populationFile!.path, { name: sim.population! });
  if (file.digest !== sim.populationFile!.digest) {
    throw new PopulaceError('invalid-argument', `population '${sim.population}': its files changed since the job was accepted (digest ${sim.populationFile!.digest}, now ${file.digest}). Submit the job again.`, { details: { population: sim.population } });
  }
  return file;
}

/**
 * A new simulation for a checked job (nothing is built until it runs), with its behaviour slots
 * filled by the named archetypes (`behaviorOptions.model`: the chat model they ask; none: their priors);
 * `populationData`: the population built elsewhere (a worker thread) instead of by the simulation.
 */
export function createJobSimulation(runtime: Runtime, sim: CheckedSimulation, params: Readonly<Record<string, ParamValue>> = sim.overrides, behaviorOptions: BehaviorSourceOptions = {}, populationData?: PopulationDataSource): Simulation {
  if (sim.composed) return composeChecked(runtime, sim.composed).createSimulation({ seed: sim.seed, params, ...(sim.inputs ? { inputs: sim.inputs } : {}) });
  const simulation = runtime.createSimulation({
    ...(sim.inputs ? { inputs: sim.inputs } : {}),
    ...(populationData === undefined ? {} : { populationData }),
    model: sim.model,
    ...(sim.population === null ? {} : { population: sim.populationFile ? reopen(runtime, sim) : sim.population }),
    ...(sim.requestedAgents === null ? {} : { agents: sim.requestedAgents }),
    seed: sim.seed,
    params,
  });
  try {
    fillBehaviors(runtime, simulation, sim.behaviors, behaviorOptions);
  } catch (error) {
    simulation.dispose();
    throw error;
  }
  return simulation;
}

/**
 * The population of a job built by `builder` (a worker thread for large builds; with its networks,
 * dropped when `signal` aborts), or undefined where the simulation builds it itself: no builder,
 * no population, or a population manifest.
 */
export function builtPopulation(runtime: Runtime, builder: PopulationBuilder | undefined, sim: CheckedSimulation, signal: AbortSignal): PopulationDataSource | undefined {
  if (!builder || sim.population === null || sim.populationFile !== null || !runtime.populations.has(sim.population)) return undefined;
  const id = runtime.populations.get(sim.population).id;
  return () => builder(runtime, id, sim.requestedAgents ?? undefined, sim.seed, { networks: true, signal });
}

/** Builds the simulation and records its backend and actual agent count. */
async function prepare(sim: Simulation, ctx: JobContext): Promise<void> {
  const info = await sim.ready();
  const counts = Object.values(info.agents);
  ctx.store.setBackend(ctx.id, info.backend.name, counts[0]);
  // other requests get their turn between the initial state and the first step (each is synchronous
  // work): two hops, so the event loop passes its poll phase (reading requests) in between
  for (let hop = 0; hop < 2; hop++) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs `steps` steps, storing each step's metrics. */
async function forward(sim: Simulation, steps: number, names: readonly string[], ctx: JobContext, schedules: ParamSchedules = {}, afterStep?: RunOptions['afterStep']): Promise<void> {
  const run = (options: RunOptions) => (Object.keys(schedules).length > 0 ? runScheduled(sim, schedules, options) : sim.run(options));
  await run({
    steps,
    signal: ctx.signal,
    ...(afterStep ? { afterStep } : {}),
    onProgress: (p) => {
      const values = names.map((n) => p.latest[n] ?? Number.NaN);
      names.forEach((n, k) => ctx.series[n]!.push(values[k]!));
      const cancel = ctx.store.recordStep(ctx.id, p.step, values);
      ctx.emit({ progress: { done: p.step, total: steps, unit: 'steps' }, step: p.step, latest: p.latest, epoch: null });
      if (cancel) ctx.onCancelRequested();
    },
  });
}

const pick = (values: Readonly<Record<string, ParamValue>>, names: readonly string[]): Record<string, ParamValue> => Object.fromEntries(names.map((n) => [n, values[n]!]));

/**
 * Runs a run, calibrate or sensitivity job on `sim` (which the caller disposes) and returns its
 * outcome (null for a run). A calibration stopped by the signal returns its best parameters so
 * far (`stopped: 'aborted'`); other jobs stopped by it throw core's `aborted` error.
 */
export async function runJob(sim: Simulation, job: Exclude<CheckedJob, { kind: 'scenarios' }>, ctx: JobContext): Promise<RunOutcome | null> {
  const names = job.sim.metricNames;
  await prepare(sim, ctx);
  if (job.kind === 'run') {
    // a snapshot: checked again with the built agent count, then read between the chosen steps
    const snap = job.snapshot;
    const recorder = snap ? await withOperatorHint(() => SnapshotRecorder.create(sim, snap, { maxCells: snap.maxCells, limitName: 'maxSnapshotCells', runSteps: job.steps })) : undefined;
    await forward(sim, job.steps, names, ctx, job.sim.schedules, recorder?.afterStep);
    if (!recorder) return null;
    const outcome: RunSnapshotOutcome = { snapshot: snapshotJson(recorder.snapshot()) };
    return outcome;
  }
  if (job.kind === 'sensitivity') {
    await forward(sim, job.steps, names, ctx);
    if (ctx.signal.aborted) throw new PopulaceError('aborted', `sensitivity stopped after the forward run of ${job.steps} steps, before the gradient pass.`);
    const s = await sensitivity(sim, { output: job.output, params: job.wrt, steps: job.steps, signal: ctx.signal, ...(job.estimator ? { estimator: job.estimator } : {}), ...(job.replicates === undefined ? {} : { replicates: job.replicates }), ...(job.allocation === undefined ? {} : { allocation: job.allocation }) });
    const outcome: SensitivityOutcome = { output: s.output, entries: s.entries, estimator: s.estimator, accuracy: s.accuracy };
    return outcome;
  }
  const start = pick(sim.params, job.fit);
  const fit = await calibrate(sim, {
    params: job.fit,
    observed: job.observed,
    loss: job.loss,
    epochs: job.epochs,
    ...(job.learningRate === undefined ? {} : { learningRate: job.learningRate }),
    signal: ctx.signal,
    onEpoch: (e) => {
      const cancel = ctx.store.setProgress(ctx.id, e.epoch);
      ctx.emit({ progress: { done: e.epoch, total: job.epochs, unit: 'epochs' }, step: null, latest: null, epoch: { epoch: e.epoch, loss: e.loss, params: pick(e.params, job.fit) } });
      if (cancel) ctx.onCancelRequested();
    },
  });
  // the metric series of a calibration: the trajectory with the fitted parameters
  ctx.store.replaceSeries(ctx.id, fit.fit);
  for (const n of names) ctx.series[n] = [...(fit.fit[n] ?? [])];
  const outcome: CalibrateOutcome = { params: pick(fit.params, job.fit), start, loss: fit.loss, history: fit.history, epochs: fit.epochs, stopped: fit.stopped };
  return outcome;
}
