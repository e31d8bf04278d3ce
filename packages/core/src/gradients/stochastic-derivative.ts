/**
 * The stochastic derivative of a whole simulated trajectory (after Arya, Schauer, Schäfer and
 * Rackauckas, "Automatic Differentiation of Programs with Discrete Randomness", NeurIPS 2022):
 * an unbiased estimate of d E[F(metrics)] / d theta for programs whose randomness is Bernoulli
 * events (`ctx.sample.bernoulli`, `ctx.sample.hazard`).
 *
 * For x = 1[u < p(theta)], raising theta flips x from 0 to 1 at rate w = p' / (1 - p) (when
 * p' > 0) or from 1 to 0 at rate w = -p' / p (when p' < 0). The derivative of the expectation
 * is E[sum over events of w * (F(path with that one event flipped) - F(path))]. The sum over
 * the events of each step is pruned to ONE alternative path, drawn from q (the mean over
 * parameter entries of their rates normalised to sum 1, so one alternative serves every entry),
 * and each entry weights it by w / q: the estimate is sum_t (w / q) (F(alt_t) - F(primal)).
 * (Arya et al. prune across steps too, keeping one alternative in all; on epidemics that mixes
 * rare early flips, whose cascades are large, with many late ones: see GRADIENTS.md. One
 * alternative per step is stratified sampling over time.) Each alternative re-uses the
 * primal's uniforms (counter-based randomness), so it differs only through the flip and its
 * consequences. Independent replicates give a standard error. p' comes from replaying the step
 * at theta +/- h with the draws held at the primal's (a central difference of smooth
 * functions, in float64). State that substeps declare `continuous` (e.g. an ODE's) is carried
 * along these replays from step to step, so p' includes the parameter's effect through it.
 * First-passage events (`ctx.sample.threshold`: one uniform per element for the run, compared with
 * a running probability) are differentiated by moving the passage one step: a pair of alternatives,
 * passed at t and passed at the next step the running value rises (./stochastic-flips.ts).
 *
 * Cost for T steps: the primal (T steps), 2 replays per entry and step (2 T per entry), and per
 * replicate T (T + 1) / 2 alternative steps shared by all entries; memory: two extra states (each
 * alternative runs to the end before the next starts) and the alternatives' metric series.
 * Randomness drawn outside
 * Bernoulli events (ctx.random.uniform compared by hand, behaviours) is held fixed: its jumps
 * are not counted.
 */
import { PopulaceError } from '../errors.js';
import { abortedBy, turnTaker } from '../event-loop.js';
import { activeEventHook } from '../kernels/ops/event-hook.js';
import { hashString } from '../random.js';
import type { Simulation } from '../simulation.js';
import { tf } from '../tf.js';
import { DEFAULT_STOCHASTIC_REPLICATES, STOCHASTIC_ALLOCATIONS, STOCHASTIC_STRATIFICATIONS, type StochasticAllocation, type StochasticStratification } from './estimators.js';
import { allocateAlternatives } from './stochastic-allocation.js';
import { trajectories, type TrajectoryOptions, type Trajectories } from './stochastic-alternatives.js';

/** One parameter entry to differentiate: a scalar parameter, or entry `index` of a time-varying one. */
export interface ParamEntry {
  readonly param: string;
  readonly index?: number;
}

export interface StochasticDerivativeOptions {
  readonly steps: number;
  readonly entries: readonly ParamEntry[];
  /** The objective of a trajectory from its metric series (one value per step). */
  readonly objective: (series: Readonly<Record<string, readonly number[]>>) => number;
  /** Independent replicates of the estimate (each flips one event per step); default 2. Their spread gives the standard error. */
  readonly replicates?: number;
  /**
   * How each step's alternatives are drawn: 'none' (default) one per step over all of its flips;
   * 'events' one per event call and flip direction (stratified sampling: effects of opposite
   * sign, e.g. fewer recoveries and fewer infections per day, no longer compete for one
   * alternative). Same expectation; 'events' computes as many alternative paths as a step has
   * (call, direction) pairs with a rate: about 10x the steps on epi/covid (GRADIENTS.md).
   */
  readonly stratify?: StochasticStratification;
  /**
   * How many alternatives each step gets: 'uniform' (default) one per replicate at every step;
   * 'adaptive' a pilot replicate first measures where the estimate varies, then each step gets
   * alternatives in proportion to its spread over the square root of their cost (Neyman
   * allocation; ./stochastic-allocation.ts), for the same total cost as 'uniform' (the pilot
   * included). Same expectation; needs replicates >= 2.
   */
  readonly allocation?: StochasticAllocation;
  /** Relative size of the parameter step used for p' (default 1e-3). */
  readonly relativeStep?: number;
  /** Seed of the pruning choices (default: the simulation's seed). */
  readonly seed?: number;
  /**
   * Stops the estimate (core's `aborted` error, no estimate) when it aborts, checked between model
   * steps. The asynchronous version also gives the event loop a turn every few milliseconds of
   * work, so a server answers other requests meanwhile and its timers (wall time, cancel) fire.
   */
  readonly signal?: AbortSignal;
  /** Refuse (limit-exceeded) when the live states (the primal, its previous step, one alternative) would exceed this many bytes (default 4 GiB). */
  readonly maxMemoryBytes?: number;
}

export interface StochasticDerivativeResult {
  /** F of the primal trajectory. */
  readonly value: number;
  /** Per entry: the mean over replicates of the estimates (the derivative of the discrete jumps). */
  readonly gradients: number[];
  /** Per entry: standard error of that mean across replicates (0 with one replicate). */
  readonly standardErrors: number[];
  /** Per entry: the total jump weight (expected flips per unit of the parameter). */
  readonly jumpWeights: number[];
  /** Model steps computed in all (primal + replays + alternatives, and the pilot's with 'adaptive'), to compare with `steps`. */
  readonly stepsComputed: number;
  /** Alternatives per replicate at each step (all 1 with 'uniform'; the pilot's choice with 'adaptive'). */
  readonly alternativesPerStep: number[];
  readonly metrics: Record<string, number[]>;
}

/** The estimates from the trajectories and the objective's value on each. */
function estimates(run: Trajectories, value: number, altValues: readonly number[], entries: number, replicates: number, plan: Plan): StochasticDerivativeResult {
  const gradients: number[] = [];
  const standardErrors: number[] = [];
  const differences = altValues.map((v) => v - value);
  for (let e = 0; e < entries; e++) {
    const est = new Array<number>(replicates).fill(0);
    run.alts.forEach((alt, a) => (est[alt.replicate] = est[alt.replicate]! + alt.factors[e]! * differences[a]!));
    const mean = est.reduce((a, b) => a + b, 0) / est.length;
    const variance = est.length > 1 ? est.reduce((a, b) => a + (b - mean) ** 2, 0) / (est.length - 1) : 0;
    gradients.push(mean);
    standardErrors.push(Math.sqrt(variance / est.length));
  }
  const steps = Object.values(run.series)[0]?.length ?? 0;
  return { value, gradients, standardErrors, jumpWeights: [...run.weights], stepsComputed: run.computed + plan.pilotComputed, alternativesPerStep: plan.perStep ? [...plan.perStep] : Array.from({ length: steps }, () => 1), metrics: run.series };
}

const ABORTED = 'stochasticDerivatives: aborted before the alternatives were complete; no estimate.';

/** The main run's allocation (none: uniform) and what its pilot cost. */
interface Plan {
  readonly perStep?: number[];
  readonly pilotComputed: number;
}

/** The pilot run's options: one replicate, uniform, its own pruning draws. */
const pilotOptions = <O extends StochasticDerivativeOptions>(sim: Simulation, options: O): O => ({ ...options, replicates: 1, allocation: 'uniform', seed: ((options.seed ?? sim.seed) ^ hashString('stochastic-derivative/pilot')) >>> 0 });

/** The trajectories of one run and the objective's value on each. */
interface Outcome {
  readonly t: Trajectories;
  readonly value: number;
  readonly altValues: readonly number[];
}

/**
 * The runs an estimate needs, as a generator that yields each run's options and receives its
 * outcome (the drivers run them synchronously or not): with 'adaptive' the pilot, then the main run.
 */
function* pilotThenMain(sim: Simulation, options: StochasticDerivativeOptions): Generator<TrajectoryOptions, StochasticDerivativeResult, Outcome> {
  let plan: Plan = { pilotComputed: 0 };
  if (options.allocation === 'adaptive') {
    const pilot = yield pilotOptions(sim, options);
    plan = planFrom(pilot.t, pilot.value, pilot.altValues, options);
  }
  const main = yield { ...options, ...(plan.perStep ? { perStep: plan.perStep } : {}) };
  return estimates(main.t, main.value, main.altValues, options.entries.length, options.replicates ?? DEFAULT_STOCHASTIC_REPLICATES, plan);
}

/** The main run's allocation from the pilot's trajectories: the main replicates share what a uniform run of `replicates` would cost, less the pilot's replicate. */
function planFrom(pilot: Trajectories, value: number, altValues: readonly number[], options: StochasticDerivativeOptions): Plan {
  const replicates = options.replicates ?? DEFAULT_STOCHASTIC_REPLICATES;
  const perStep = allocateAlternatives(
    pilot.alts.map((a, i) => ({ step: a.step, factors: a.factors, difference: altValues[i]! - value })),
    { steps: options.steps, pilotReplicates: 1, budget: (replicates - 1) / replicates },
  );
  return { perStep, pilotComputed: pilot.computed };
}

function check(options: StochasticDerivativeOptions): void {
  const { steps } = options;
  const replicates = options.replicates ?? DEFAULT_STOCHASTIC_REPLICATES;
  const rel = options.relativeStep ?? 1e-3;
  if (!Number.isInteger(steps) || steps < 1) throw new PopulaceError('invalid-argument', `stochasticDerivatives: steps expected a positive integer, received ${String(steps)}.`);
  if (!Number.isInteger(replicates) || replicates < 1) throw new PopulaceError('invalid-argument', `stochasticDerivatives: replicates expected a positive integer, received ${String(replicates)}.`);
  if (!(rel > 0 && rel < 0.1)) throw new PopulaceError('invalid-argument', `stochasticDerivatives: relativeStep expected a number in (0, 0.1), received ${String(rel)}.`);
  if (options.stratify !== undefined && !STOCHASTIC_STRATIFICATIONS.includes(options.stratify)) throw new PopulaceError('invalid-argument', `stochasticDerivatives: stratify expected ${STOCHASTIC_STRATIFICATIONS.map((v) => `'${v}'`).join(' or ')}, received ${JSON.stringify(options.stratify)}.`);
  if (options.allocation !== undefined && !STOCHASTIC_ALLOCATIONS.includes(options.allocation)) throw new PopulaceError('invalid-argument', `stochasticDerivatives: allocation expected ${STOCHASTIC_ALLOCATIONS.map((v) => `'${v}'`).join(' or ')}, received ${JSON.stringify(options.allocation)}.`);
  if (options.allocation === 'adaptive' && replicates < 2) throw new PopulaceError('invalid-argument', `stochasticDerivatives: allocation 'adaptive' needs replicates >= 2 (a pilot replicate's worth of the cost goes to measuring where the estimate varies), received ${replicates}.`);
  if (activeEventHook()) throw new PopulaceError('invalid-argument', 'stochasticDerivatives: cannot run inside another event hook.');
}

/**
 * Estimates d E[objective] / d entry for every entry by the pruned stochastic derivative, from the
 * simulation's initial state. Every substep must act synchronously.
 *
 * @example
 * ```ts
 * const sd = stochasticDerivatives(sim, { steps: 60, entries: [{ param: 'beta' }], objective: (s) => s.newInfections!.reduce((a, b) => a + b, 0) });
 * sd.gradients[0]; // d E[total infections] / d beta, +/- sd.standardErrors[0]
 * ```
 */
export function stochasticDerivatives(sim: Simulation, options: StochasticDerivativeOptions): StochasticDerivativeResult {
  check(options);
  const runSync = (o: TrajectoryOptions): Outcome => {
    const run = trajectories(sim, o, false);
    for (let request = run.next(); ; ) {
      if (request.done === true) {
        const t = request.value;
        return { t, value: options.objective(t.series), altValues: t.alts.map((a) => options.objective(a.series)) };
      }
      const tensors = request.value as readonly tf.Tensor[]; // (without host reads only tensors are asked for)
      let values: ArrayLike<number>[];
      try {
        if (options.signal?.aborted) throw abortedBy(options.signal, ABORTED);
        values = tensors.map((x) => x.dataSync() as ArrayLike<number>);
      } catch (error) {
        run.throw(error);
        throw error;
      }
      request = run.next(values);
    }
  };
  const runs = pilotThenMain(sim, options);
  for (let request = runs.next(); ; request = runs.next(runSync(request.value))) if (request.done === true) return request.value;
}

/**
 * {@link stochasticDerivatives} with asynchronous device reads, for every backend including webgpu
 * (which Node reads asynchronously only): the same estimates for the same seed. The objective may
 * be asynchronous.
 *
 * @example
 * ```ts
 * const sd = await stochasticDerivativesAsync(sim, { steps: 60, entries: [{ param: 'beta' }], objective: (s) => s.newInfections!.reduce((a, b) => a + b, 0) });
 * ```
 */
export async function stochasticDerivativesAsync(sim: Simulation, options: Omit<StochasticDerivativeOptions, 'objective'> & { readonly objective: (series: Readonly<Record<string, readonly number[]>>) => number | Promise<number> }): Promise<StochasticDerivativeResult> {
  const objective = options.objective;
  const sync: StochasticDerivativeOptions = { ...options, objective: () => 0 };
  check(sync);
  // a turn for the event loop (other requests, timers) every few milliseconds of work, and the signal checked
  const checkpoint = turnTaker(options.signal, ABORTED);
  const runAsync = async (o: TrajectoryOptions): Promise<Outcome> => {
    const run = trajectories(sim, o, true);
    for (let request = run.next(); ; ) {
      if (request.done === true) {
        const t = request.value;
        const value = await objective(t.series);
        const altValues: number[] = [];
        for (const a of t.alts) altValues.push(await objective(a.series));
        return { t, value, altValues };
      }
      const r = request.value;
      let values: ArrayLike<number>[] = [];
      try {
        await checkpoint();
        if (r instanceof Promise) await r;
        else values = (await Promise.all(r.map((x) => x.data()))) as ArrayLike<number>[];
      } catch (error) {
        run.throw(error);
        throw error;
      }
      request = run.next(values);
    }
  };
  const runs = pilotThenMain(sim, sync);
  for (let request = runs.next(); ; request = runs.next(await runAsync(request.value))) if (request.done === true) return request.value;
}
