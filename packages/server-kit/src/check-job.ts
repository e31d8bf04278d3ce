/**
 * Checking a job request before anything runs: ids through the runtime's
 * registries (with "did you mean"), parameters through the model's bounds,
 * observed series through core's checks, and every size against the
 * operator's limits. Every mistake is a PopulaceError that names the field,
 * what was expected, what was received and the fix.
 */
import { checkMemory, checkSchedule, closest, DEFAULT_STOCHASTIC_REPLICATES, defaultEstimator, estimateSimulationMemory, GRADIENT_ESTIMATORS, isCountLoss, parseOutput, PopulaceError, resolveParams, STOCHASTIC_ALLOCATIONS, stochasticDerivativeSteps, validateObserved, type EstimatorChoice, type GradientEstimator, type ParamSchedule, type ParamValue, type ParameterSpec, type PopulationFile, type Runtime } from '@populace/core';
import { checkBehaviors } from './check-behaviors.js';
import { checkSnapshot } from './check-snapshot.js';
import { checkComposition, checkInputs, checkInputSteps, composeChecked, jobModelDefinition, type CheckedComposition, type CheckedInputs } from './check-composition.js';
import { describe, isPlainObject } from './describe.js';
import { CALIBRATE_LOSSES, DEFAULT_EPOCHS, DEFAULT_STEPS, type CheckedJob, type CheckedSimulation, type JobRequest, type SimulationRequest } from './job-request.js';
import { checkLimit, type RunLimits } from './limits.js';
import { openAllowedPopulationFile, type DataDirs } from './population-files.js';

/** Where a request's population files may be read from, and the files opened so far (one job's checks open each once). */
export interface PopulationAccess {
  readonly dataDirs: DataDirs;
  readonly opened?: Map<string, PopulationFile>;
}

const NO_FILES: PopulationAccess = { dataDirs: { dirs: [] } };

const KINDS = ['run', 'calibrate', 'sensitivity', 'scenarios'] as const;

function invalid(field: string, expected: string, received: unknown, fix = ''): never {
  throw new PopulaceError('invalid-argument', `${field}: expected ${expected}, received ${describe(received)}.${fix ? ` ${fix}` : ''}`, { details: { field, expected } });
}

function integerIn(field: string, value: unknown, min: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) invalid(field, `an integer of at least ${min}`, value, fix);
  return value;
}

/** Steps of a request: a positive integer within the limit. */
function checkSteps(value: unknown, limits: RunLimits, field = 'steps'): number {
  const steps = integerIn(field, value ?? DEFAULT_STEPS, 1, 'Pass a whole number of steps such as 60.');
  checkLimit(limits, 'maxSteps', steps, field, 'Ask for fewer steps.');
  return steps;
}

/** A seed: an unsigned 32-bit integer (default 0). */
function checkSeed(value: unknown, field = 'seed'): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) invalid(field, 'an integer in [0, 4294967295]', value);
  return value;
}

/** Checks the simulation part of a request by resolving the simulation it describes (nothing is built). */
export function checkSimulation(runtime: Runtime, request: SimulationRequest, limits: RunLimits, extraParams?: Readonly<Record<string, unknown>>, access: PopulationAccess = NO_FILES): CheckedSimulation {
  if (!isPlainObject(request)) invalid('request', 'an object { model, population?, agents?, seed?, params? }', request);
  const inputs = checkInputs(request.inputs, limits);
  const composed = checkComposition(request, limits);
  if (composed) return checkComposedSimulation(runtime, request, composed, inputs, limits, extraParams);
  if (typeof request.model !== 'string' || request.model.length === 0) invalid('model', `a model id, one of ${runtime.models.ids().join(', ')}`, request.model);
  const model = runtime.models.get(request.model);
  if (request.population !== undefined && (typeof request.population !== 'string' || request.population.length === 0)) invalid('population', `a population id, one of ${runtime.populations.ids().join(', ')}, or the path of a population manifest under the server's data directories`, request.population);
  let file: PopulationFile | undefined;
  if (request.population !== undefined && runtime.isPopulationFile(request.population)) {
    file = access.opened?.get(request.population) ?? openAllowedPopulationFile(runtime, request.population, access.dataDirs);
    access.opened?.set(request.population, file);
  }
  const population = request.population === undefined ? undefined : (file ?? runtime.populations.get(request.population));
  if (request.agents !== undefined) integerIn('agents', request.agents, 1, 'Pass a whole number of agents such as 10000.');
  const agents = request.agents ?? population?.definition.defaultAgents ?? model.definition.defaultAgents;
  checkLimit(limits, 'maxAgents', agents, request.agents === undefined ? `agents (the default of ${population ? `population '${population.id}'` : `model '${model.id}'`})` : 'agents', 'Pass a smaller agents count.');
  const seed = checkSeed(request.seed);
  if (request.params !== undefined && !isPlainObject(request.params)) invalid('params', 'an object { name: value }', request.params, `Parameters of '${model.id}': ${Object.keys(model.definition.parameters).join(', ')}.`);
  if (request.label !== undefined && request.label !== null && (typeof request.label !== 'string' || request.label.length > 200)) invalid('label', 'a string of at most 200 characters', request.label);
  const overrides = { ...(request.params ?? {}), ...(extraParams ?? {}) };
  const { params } = runtime.resolveSimulation({ model: model.id, ...(population ? { population: file ?? population.id } : {}), ...(request.agents === undefined ? {} : { agents }), seed, params: overrides, ...(inputs ? { inputs } : {}) });
  const schedules = checkSchedules(model.definition.parameters, params, model.id, request.schedules);
  const given = Object.fromEntries(Object.keys(overrides).map((k) => [k, params[k]!])) as Record<string, ParamValue>;
  const behaviors = checkBehaviors(runtime, model.id, request.behaviors);
  return { model: model.id, population: population?.id ?? null, populationFile: file ? { path: file.file, digest: file.digest } : null, agents, requestedAgents: request.agents ?? null, seed, params, overrides: given, metricNames: Object.keys(model.definition.metrics), label: request.label ?? null, behaviors, schedules, ...(inputs ? { inputs } : {}) };
}

/** A composed model's simulation, checked by composing it and resolving its simulation (nothing is built). */
function checkComposedSimulation(runtime: Runtime, request: SimulationRequest, composed: CheckedComposition, inputs: CheckedInputs | undefined, limits: RunLimits, extraParams?: Readonly<Record<string, unknown>>): CheckedSimulation {
  if (request.behaviors != null || request.schedules != null) invalid(request.behaviors != null ? 'behaviors' : 'schedules', 'nothing in a composed run (not supported there yet)', request.behaviors ?? request.schedules);
  const composition = composeChecked(runtime, composed);
  // a member's agents: its memberAgents entry (full id, bare id or alias), else its population's or model's default
  const given = (map: Readonly<Record<string, unknown>>, alias: string, id: string) => map[id] ?? map[alias] ?? map[id.slice(id.indexOf('/') + 1)];
  const agents = Object.entries(composition.members).reduce((a, [alias, id]) => {
    const pop = composition.populations[alias];
    const n = (given(composed.agents, alias, id) as number | undefined) ?? (pop ? runtime.populations.get(pop).definition.defaultAgents : runtime.models.get(id).definition.defaultAgents);
    return a + n;
  }, 0);
  checkLimit(limits, 'maxAgents', agents, 'agents (all composed models together)', 'Pass smaller memberAgents.');
  const seed = checkSeed(request.seed);
  if (request.params !== undefined && !isPlainObject(request.params)) invalid('params', 'an object { name: value }', request.params, `Parameters: ${Object.keys(composition.definition.parameters).join(', ')}.`);
  const overrides = { ...(request.params ?? {}), ...(extraParams ?? {}) };
  const { params } = composition.resolveSimulation({ seed, params: overrides, ...(inputs ? { inputs } : {}) });
  const model = composed.models.join('+');
  const overridden = Object.fromEntries(Object.keys(overrides).map((k) => [k, params[k]!])) as Record<string, ParamValue>;
  return { model, population: null, populationFile: null, agents, requestedAgents: null, seed, params, overrides: overridden, metricNames: Object.keys(composition.definition.metrics), label: request.label ?? null, behaviors: {}, schedules: {}, composed, ...(inputs ? { inputs } : {}) };
}

/** Names of learnable parameters to use; each checked to exist and be learnable. */
function checkLearnable(runtime: Runtime, sim: CheckedSimulation, requested: unknown, field: string): string[] {
  const modelId = sim.model;
  const specs = jobModelDefinition(runtime, sim).parameters;
  const learnable = Object.keys(specs).filter((n) => specs[n]!.learnable);
  if (requested === undefined) {
    if (learnable.length === 0) throw new PopulaceError('invalid-argument', `model '${modelId}' has no learnable parameters, so it cannot be used for ${field === 'fit' ? 'calibration' : 'sensitivity'}.`, { details: { model: modelId } });
    return learnable;
  }
  if (!Array.isArray(requested) || requested.length === 0 || requested.some((n) => typeof n !== 'string')) invalid(field, `a non-empty array of parameter names from [${learnable.join(', ')}]`, requested);
  for (const name of requested as string[]) {
    // own names only: 'constructor' or 'toString' must not find Object.prototype's
    if (!Object.hasOwn(specs, name)) {
      const guess = closest(name, Object.keys(specs));
      throw new PopulaceError('unknown-param', `${field}: model '${modelId}' has no parameter '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Learnable parameters: ${learnable.join(', ') || '(none)'}.`, { details: { param: name, learnable } });
    }
    if (!specs[name]!.learnable) {
      throw new PopulaceError('invalid-param', `${field}: parameter '${name}' of '${modelId}' is not learnable (gradients do not flow through it). Learnable parameters: ${learnable.join(', ') || '(none)'}.`, { details: { param: name, learnable } });
    }
  }
  return [...new Set(requested as string[])];
}

/** A request's schedules, each checked (`checkSchedule`) and its values against the model's bounds (`resolveParams`, as `setParams` does). */
function checkSchedules(specs: Readonly<Record<string, ParameterSpec>>, params: Readonly<Record<string, ParamValue>>, modelId: string, schedules: unknown): Record<string, ParamSchedule> {
  if (schedules === undefined) return {};
  if (!isPlainObject(schedules)) invalid('schedules', 'an object { name: [{ step, value }, ...] }', schedules, 'For example { beta: [{ step: 0, value: 0.3 }, { step: 30, value: 0.1 }] }.');
  const out: Record<string, ParamSchedule> = {};
  for (const [name, schedule] of Object.entries(schedules)) {
    const checked = checkSchedule(name, schedule);
    for (const change of checked) resolveParams(specs, { ...params, [name]: change.value }, modelId);
    out[name] = checked;
  }
  return out;
}

/** Gradient jobs cannot use behaviours: their values are data from outside the tape. */
function checkNoBehaviors(sim: CheckedSimulation, kind: string): void {
  if (Object.keys(sim.schedules).length > 0) {
    throw new PopulaceError('invalid-argument', `schedules: a ${kind} job differentiates the simulation, and schedules are applied between steps, off the gradient tape. Drop 'schedules' or use a run or scenarios job.`, { details: { schedules: Object.keys(sim.schedules) } });
  }
  const slots = Object.keys(sim.behaviors);
  if (slots.length > 0) {
    throw new PopulaceError('invalid-argument', `behaviors: a ${kind} job differentiates the simulation, and behaviours (${slots.map((s) => `${s} = ${sim.behaviors[s]}`).join(', ')}) are not differentiable. Drop 'behaviors' (the model's parameters then stand in) or use a run or scenarios job.`, { details: { slots } });
  }
}

/** Refuses a job whose estimated memory this machine does not have now (before anything is built). */
function checkJobMemory(runtime: Runtime, sim: CheckedSimulation, steps: number, gradient: boolean): void {
  const model = jobModelDefinition(runtime, sim);
  // a population file has no registered size estimate: the estimate falls back to a per-agent default
  const population = sim.population === null || !runtime.populations.has(sim.population) ? undefined : runtime.populations.get(sim.population).definition;
  checkMemory(estimateSimulationMemory({ model, population, agents: sim.agents, steps, gradient }), `a ${gradient ? 'gradient job' : 'run'} of ${sim.model} with ${sim.agents.toLocaleString('en-US')} agents`);
}

function checkGradientWork(limits: RunLimits, agents: number, steps: number): void {
  checkLimit(limits, 'maxGradientAgentSteps', agents * steps, `agents x steps of a gradient job (${agents} x ${steps})`, 'Use fewer agents or fewer steps.');
}

/** The estimator a sensitivity job runs: the one asked for, or 'auto' resolved as core's sensitivity resolves it (a composed simulation has its members' merged population). */
function jobEstimator(runtime: Runtime, sim: CheckedSimulation, choice: EstimatorChoice): GradientEstimator {
  return choice !== 'auto' ? choice : defaultEstimator(jobModelDefinition(runtime, sim), sim.population ?? (sim.composed ? sim.model : undefined));
}

/** The stochastic derivative's work (agents x model steps, at most) within the limit: it grows with replicates x steps^2. */
function checkStochasticWork(limits: RunLimits, sim: CheckedSimulation, steps: number, replicates: number, wrt: readonly string[]): void {
  const entries = wrt.reduce((a, name) => a + (Array.isArray(sim.params[name]) ? (sim.params[name] as readonly number[]).length : 1), 0);
  const modelSteps = stochasticDerivativeSteps(steps, replicates, entries);
  checkLimit(limits, 'maxStochasticAgentSteps', sim.agents * modelSteps, `agents x model steps of the stochastic derivative (${sim.agents} x ${modelSteps}: ${replicates} replicates over ${steps} steps, ${entries} parameter entries)`, 'Use fewer replicates, steps or agents, or estimator straight-through.');
}

/**
 * Checks a job request against the runtime and the limits and returns the job to run.
 * Nothing is built or recorded; a bad request throws a PopulaceError. A population that names a
 * manifest is read only under `dataDirs` (see openAllowedPopulationFile).
 *
 * @example
 * ```ts
 * const job = checkJob(runtime, { kind: 'run', model: 'network-sir', population: 'random-graph', agents: 5000, steps: 60 }, resolveLimits());
 * job.sim.params; // every parameter's value
 * ```
 */
export function checkJob(runtime: Runtime, request: JobRequest, limits: RunLimits, dataDirs: DataDirs = NO_FILES.dataDirs): CheckedJob {
  const access: PopulationAccess = { dataDirs, opened: new Map() };
  if (!isPlainObject(request)) invalid('request', 'an object with a kind and a model', request);
  if (!KINDS.includes(request.kind)) invalid('kind', `one of ${KINDS.join(', ')}`, request.kind);
  switch (request.kind) {
    case 'run': {
      const sim = checkSimulation(runtime, request, limits, undefined, access);
      const steps = checkSteps(request.steps, limits);
      checkInputSteps(sim.inputs, steps, sim.model);
      checkJobMemory(runtime, sim, steps, false);
      const population = sim.population === null ? undefined : sim.populationFile ? access.opened?.get(request.population!)?.definition : runtime.populations.get(sim.population).definition;
      const snapshot = checkSnapshot(runtime, sim, request.snapshot, steps, limits, population);
      return { kind: 'run', sim, steps, ...(snapshot ? { snapshot } : {}) };
    }
    case 'sensitivity': {
      const sim = checkSimulation(runtime, request, limits, undefined, access);
      checkNoBehaviors(sim, 'sensitivity');
      const steps = checkSteps(request.steps, limits);
      checkInputSteps(sim.inputs, steps, sim.model);
      if (typeof request.output !== 'string') invalid('output', `'metric' or 'metric:agg' with a metric of [${sim.metricNames.join(', ')}] and agg one of sum, mean, max, min, last`, request.output);
      const output = parseOutput(request.output, sim.metricNames);
      const wrt = checkLearnable(runtime, sim, request.wrt, 'wrt');
      const estimator = request.estimator ?? 'auto';
      if (estimator !== 'auto' && !GRADIENT_ESTIMATORS.includes(estimator)) invalid('estimator', `auto, ${GRADIENT_ESTIMATORS.join(' or ')}`, estimator);
      if (request.replicates !== undefined) integerIn('replicates', request.replicates, 1, 'Pass a whole number such as 4.');
      const allocation = request.allocation;
      if (allocation !== undefined && !STOCHASTIC_ALLOCATIONS.includes(allocation)) invalid('allocation', STOCHASTIC_ALLOCATIONS.join(' or '), allocation);
      const replicates = request.replicates ?? DEFAULT_STOCHASTIC_REPLICATES;
      if (allocation === 'adaptive' && replicates < 2) invalid('replicates', "at least 2 with allocation 'adaptive' (a pilot replicate's worth measures where the estimate varies)", request.replicates);
      checkGradientWork(limits, sim.agents, steps);
      if (jobEstimator(runtime, sim, estimator) === 'stochastic-derivative') checkStochasticWork(limits, sim, steps, replicates, wrt);
      checkJobMemory(runtime, sim, steps, true);
      return { kind: 'sensitivity', sim, steps, output, wrt, estimator, replicates: request.replicates, ...(allocation === undefined ? {} : { allocation }) };
    }
    case 'calibrate': {
      const sim = checkSimulation(runtime, request, limits, undefined, access);
      checkNoBehaviors(sim, 'calibrate');
      const loss = request.loss ?? 'mse';
      if (!CALIBRATE_LOSSES.includes(loss)) invalid('loss', `one of ${CALIBRATE_LOSSES.join(', ')}`, loss);
      const { steps, series } = validateObserved(request.observed, sim.metricNames, isCountLoss(loss), 'calibrate');
      checkLimit(limits, 'maxSteps', steps, 'steps (the length of the observed series)', 'Observe fewer steps.');
      checkInputSteps(sim.inputs, steps, sim.model);
      const epochs = integerIn('epochs', request.epochs ?? DEFAULT_EPOCHS, 1, 'Pass a whole number such as 50.');
      checkLimit(limits, 'maxEpochs', epochs, 'epochs', 'Ask for fewer epochs.');
      const lr = request.learningRate;
      if (lr !== undefined && !(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) invalid('learningRate', 'a positive number such as 0.05', lr);
      const fit = checkLearnable(runtime, sim, request.fit, 'fit');
      checkGradientWork(limits, sim.agents, steps);
      checkJobMemory(runtime, sim, steps, true);
      return { kind: 'calibrate', sim, steps, fit, observed: Object.fromEntries(series), loss, epochs, learningRate: lr };
    }
    case 'scenarios': {
      const sim = checkSimulation(runtime, request, limits, undefined, access);
      const steps = checkSteps(request.steps, limits);
      const list = request.scenarios;
      if (!Array.isArray(list) || list.length === 0) invalid('scenarios', 'a non-empty array of { name?, params }', list, 'Give at least one scenario, e.g. [{ name: "baseline", params: {} }, { name: "distancing", params: { beta: 0.03 } }].');
      const seeds = request.seeds === undefined ? [sim.seed] : request.seeds;
      if (!Array.isArray(seeds) || seeds.length === 0) invalid('seeds', 'a non-empty array of seeds', seeds);
      seeds.forEach((s, i) => checkSeed(s, `seeds[${i}]`));
      if (new Set(seeds).size !== seeds.length) invalid('seeds', 'distinct seeds', seeds);
      checkLimit(limits, 'maxScenarioRuns', list.length * seeds.length, `runs of the sweep (${list.length} scenarios x ${seeds.length} seeds)`, 'Use fewer scenarios or seeds.');
      checkLimit(limits, 'maxSweepAgentSteps', list.length * seeds.length * sim.agents * steps, `runs x agents x steps of the sweep (${list.length * seeds.length} x ${sim.agents} x ${steps})`, 'Use fewer runs, agents or steps.');
      checkJobMemory(runtime, sim, steps, false);
      const names = new Set<string>();
      const scenarios = list.map((s, i) => {
        if (!isPlainObject(s)) invalid(`scenarios[${i}]`, 'an object { name?, params }', s);
        const name = s.name ?? `scenario-${i + 1}`;
        if (typeof name !== 'string' || name.length === 0 || name.length > 100) invalid(`scenarios[${i}].name`, 'a non-empty string of at most 100 characters', name);
        if (names.has(name)) invalid(`scenarios[${i}].name`, 'a name not used by another scenario', name);
        names.add(name);
        if (s.params !== undefined && !isPlainObject(s.params)) invalid(`scenarios[${i}].params`, 'an object { name: value }', s.params);
        let checked: CheckedSimulation;
        try {
          checked = checkSimulation(runtime, { ...request, params: sim.overrides }, limits, s.params ?? {}, access);
        } catch (error) {
          if (PopulaceError.isInstance(error)) throw new PopulaceError(error.code, `scenarios[${i}] '${name}': ${error.message}`, { details: error.details, cause: error });
          throw error;
        }
        const overrides = Object.fromEntries(Object.keys(s.params ?? {}).map((k) => [k, checked.params[k]!])) as Record<string, ParamValue>;
        return { name, overrides, params: checked.params };
      });
      return { kind: 'scenarios', sim, steps, seeds: [...seeds], scenarios };
    }
  }
}
