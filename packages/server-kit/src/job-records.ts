/**
 * What the executors record of a checked job when it is submitted: the new
 * run of a single job (run, calibration, sensitivity) and the parent run of a
 * sweep, both executors alike.
 */
import type { CheckedJob, CheckedSimulation } from './job-request.js';
import type { NewRun } from './store-types.js';

/** A checked job that runs as one simulation (not a sweep). */
export type SingleJob = Exclude<CheckedJob, { kind: 'scenarios' }>;
/** A checked sweep. */
export type SweepJob = Extract<CheckedJob, { kind: 'scenarios' }>;

/** A record's `options.schedules`, when the job has any. */
const scheduleOption = (sim: CheckedSimulation): { schedules?: CheckedSimulation['schedules'] } => (Object.keys(sim.schedules).length > 0 ? { schedules: sim.schedules } : {});
/** What a run record keeps of a population manifest: the path as the request gave it and the digest of its files. */
const populationFileOption = (sim: CheckedSimulation): { populationFile?: { manifest: string; digest: string } } =>
  sim.populationFile ? { populationFile: { manifest: sim.population!, digest: sim.populationFile.digest } } : {};
const behaviorsOption = (sim: CheckedSimulation): { behaviors?: CheckedSimulation['behaviors'] } => (Object.keys(sim.behaviors).length > 0 ? { behaviors: sim.behaviors } : {});

/** The new run of a single job (`parentId`: its sweep, if any). */
export function singleRun(job: SingleJob, parentId: string | null, label: string | null): NewRun {
  const { sim } = job;
  const kindOptions =
    job.kind === 'calibrate'
      ? { observed: job.observed, fit: job.fit, loss: job.loss, epochs: job.epochs, learningRate: job.learningRate ?? null }
      : job.kind === 'sensitivity'
        ? { output: `${job.output.metric}:${job.output.agg}`, wrt: job.wrt, ...(job.estimator === undefined || job.estimator === 'auto' ? {} : { estimator: job.estimator }), ...(job.replicates === undefined ? {} : { replicates: job.replicates }), ...(job.allocation === undefined ? {} : { allocation: job.allocation }) }
        : { ...behaviorsOption(sim), ...(job.snapshot ? { snapshot: { states: job.snapshot.states, steps: job.snapshot.steps } } : {}) };
  return {
    kind: job.kind, label, parentId, model: sim.model, population: sim.population, agents: sim.agents, steps: job.steps, seed: sim.seed, params: sim.params, metricNames: sim.metricNames,
    options: { ...kindOptions, ...scheduleOption(sim), ...populationFileOption(sim) },
    progress: job.kind === 'calibrate' ? { total: job.epochs, unit: 'epochs' } : { total: job.steps, unit: 'steps' },
  };
}

/** The parent run of a sweep, running from the start: its progress counts its ended runs. */
export function sweepRun(job: SweepJob): NewRun {
  const { sim, steps, seeds, scenarios } = job;
  return {
    kind: 'scenarios', label: sim.label, model: sim.model, population: sim.population, agents: sim.agents, steps, seed: seeds[0]!, params: sim.params, metricNames: sim.metricNames,
    options: { seeds, scenarios: scenarios.map((s) => ({ name: s.name, params: s.overrides })), ...behaviorsOption(sim), ...scheduleOption(sim), ...populationFileOption(sim) },
    progress: { total: scenarios.length * seeds.length, unit: 'runs' },
    status: 'running',
  };
}

/** The runs of a sweep, scenario by scenario, seed by seed: each its job, scenario name and seed. */
export function sweepChildren(job: SweepJob): { readonly job: SingleJob; readonly scenario: string; readonly seed: number }[] {
  const { sim, steps, seeds, scenarios } = job;
  return scenarios.flatMap((s) => seeds.map((seed) => ({ job: { kind: 'run' as const, steps, sim: { ...sim, seed, params: s.params, overrides: { ...sim.overrides, ...s.overrides }, label: s.name } }, scenario: s.name, seed })));
}
