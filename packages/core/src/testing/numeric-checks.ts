/**
 * The conformance checks that look at numbers: state stays finite over a run, and a model that
 * declares learnable parameters has a usable gradient for each of them.
 */
import { diagnoseGradients } from '../gradients/differentiability.js';
import { sensitivity } from '../gradients/sensitivity.js';
import { declaredPaths, type ModelDefinition } from '../model.js';
import type { ParamValue } from '../parameters.js';
import type { Runtime } from '../runtime.js';
import type { Simulation } from '../simulation.js';

/** How a check creates its simulation. */
export interface SimulationRecipe {
  readonly runtime: Runtime;
  readonly model: string;
  readonly population: string | undefined;
  readonly agents: number;
  readonly seed: number;
}

function create(recipe: SimulationRecipe): Simulation {
  const { runtime, model, population, agents, seed } = recipe;
  return runtime.createSimulation({ model, ...(population ? { population } : {}), agents, seed });
}

/**
 * The first non-finite value of any float32 agent or environment state over `steps` steps (the
 * initial state counts as step 0), as a sentence naming the path, the element and the step; or
 * undefined when every value stays finite.
 */
export async function firstNonFiniteState(recipe: SimulationRecipe, definition: ModelDefinition, steps: number): Promise<string | undefined> {
  const paths = [...declaredPaths(definition.state)].filter(([p, spec]) => !p.startsWith('networks/') && (spec.dtype ?? 'float32') === 'float32').map(([p]) => p);
  const sim = create(recipe);
  try {
    await sim.ready();
    for (let step = 0; step <= steps; step++) {
      if (step > 0) await sim.step();
      for (const path of paths) {
        const x = sim.state(path);
        const values = x.dataSync();
        x.dispose();
        const i = values.findIndex((v) => !Number.isFinite(v));
        if (i >= 0) return `state '${path}' is ${values[i]} at element ${i} ${step === 0 ? 'in the initial state' : `after step ${step}`} (the first non-finite value)`;
      }
    }
    return undefined;
  } finally {
    sim.dispose();
  }
}

/** How the learnable-parameter check runs for one model (see ConformanceOptions.gradients). */
export interface GradientCheckOptions {
  /** The output to differentiate ('metric' or 'metric:agg'); default: each differentiable metric summed, until every parameter has a gradient. */
  readonly output?: string;
  /** Parameter values for the check's run (e.g. more seed infections, so that something happens in a few steps). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Steps of the check's run (default: the suite's steps). */
  readonly steps?: number;
  /** Learnable parameters not expected to act in this run (e.g. the weight of a contact layer the population lacks): they must only be finite. */
  readonly inert?: readonly string[];
}

/** What the gradient check found. */
export interface GradientCheckResult {
  /** Why the check fails, or undefined when it passes. */
  readonly failure?: string;
  /** Facts worth showing on a pass (inert parameters, metrics without a gradient). */
  readonly note?: string;
}

const list = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

/**
 * For a model with learnable parameters: every gradient computed must be finite, and every
 * learnable parameter not declared inert must get a non-zero d(output)/d(param) over the run, for
 * `options.output` when given, else for at least one of the model's differentiable metrics.
 */
export async function checkLearnableGradients(recipe: SimulationRecipe, definition: ModelDefinition, defaultSteps: number, options: GradientCheckOptions = {}): Promise<GradientCheckResult> {
  const learnable = Object.keys(definition.parameters).filter((n) => definition.parameters[n]!.learnable);
  const steps = options.steps ?? defaultSteps;
  const inert = options.inert ?? [];
  const unknown = inert.filter((p) => !learnable.includes(p));
  if (unknown.length > 0) return { failure: `options.gradients['${recipe.model}'].inert names ${list(unknown)}, which ${unknown.length > 1 ? 'are' : 'is'} not a learnable parameter (learnable: ${learnable.join(', ')})` };
  const sim = create(recipe);
  try {
    if (options.params) sim.setParams(options.params);
    const diagnosis = await diagnoseGradients(sim, { steps });
    const output = options.output;
    const candidates = output ? [output.split(':')[0]!] : Object.keys(definition.metrics);
    const usable = candidates.filter((m) => diagnosis.metrics[m]?.length === 0);
    const broken = candidates.filter((m) => !usable.includes(m));
    if (usable.length === 0) {
      const reasons = [...new Set(broken.flatMap((m) => diagnosis.metrics[m] ?? []).map((b) => b.reason))];
      return { failure: `declares learnable parameters [${learnable.join(', ')}] but no ${output ? `gradient reaches '${output}'` : 'metric has a gradient'}: ${reasons.join('; ')}` };
    }
    const nonZero = new Set<string>();
    for (const metric of usable) {
      const label = output?.includes(':') ? output : `${metric}:sum`;
      const result = await sensitivity(sim, { output: label, steps });
      for (const param of learnable) {
        const g = result.gradients[param]!;
        const values = typeof g === 'number' ? [g] : g;
        const bad = values.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) return { failure: `d ${label} / d ${param}${typeof g === 'number' ? '' : `[${bad}]`} is ${values[bad]} over ${steps} steps (expected a finite number)` };
        if (values.some((v) => v !== 0)) nonZero.add(param);
      }
      if (!output && learnable.every((p) => nonZero.has(p) || inert.includes(p))) break;
    }
    const dead = learnable.filter((p) => !nonZero.has(p) && !inert.includes(p));
    const from = output ? `'${output}'` : `any differentiable metric (${usable.join(', ')})`;
    const where = `options.gradients['${recipe.model}']`;
    const detached = dead.filter((p) => (diagnosis.reaches[p] ?? []).length === 0);
    const zero = dead.filter((p) => !detached.includes(p));
    const problems = [
      ...(detached.length > 0 ? [`${list(detached)} reach${detached.length > 1 ? '' : 'es'} no metric in this run (no op connects ${detached.length > 1 ? 'them' : 'it'} to one): if that is expected here (e.g. the weight of a contact layer the population lacks), list ${detached.length > 1 ? 'them' : 'it'} in ${where}.inert, else drop learnable: true or use ${detached.length > 1 ? 'them' : 'it'} in a substep`] : []),
      ...(zero.length > 0 ? [`${list(zero)} reach${zero.length > 1 ? '' : 'es'} the metrics but got a zero gradient from ${from} over ${steps} steps: give the run something to do (${where}.params, .steps) or fix the substep that drops the gradient`] : []),
    ];
    if (problems.length > 0) return { failure: `learnable parameters without a gradient: ${problems.join('; ')}` };
    const notes = [...(inert.length > 0 ? [`inert in this run: ${inert.join(', ')}`] : []), ...(broken.length > 0 ? [`metrics without a gradient (fine for reporting, not for calibrate/sensitivity): ${broken.join(', ')}`] : [])];
    return notes.length > 0 ? { note: notes.join('; ') } : {};
  } finally {
    sim.dispose();
  }
}
