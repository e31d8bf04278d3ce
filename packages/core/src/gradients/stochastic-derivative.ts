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
 *
 * Cost for T steps: the primal (T steps), 2 replays per entry and step (2 T per entry), and per
 * replicate T (T + 1) / 2 alternative steps shared by all entries; memory: up to T x replicates
 * extra states. Randomness drawn outside
 * Bernoulli events (ctx.random.uniform compared by hand, behaviours) is held fixed: its jumps
 * are not counted.
 */
import { PopulaceError } from '../errors.js';
import { activeEventHook, withEventHook, type EventCall, type EventHook } from '../kernels/event-hook.js';
import { hashString, streamKey, uniformAt } from '../random.js';
import { SIMULATION_DEFINITION, SIMULATION_INTERNALS, type Simulation } from '../simulation.js';
import type { StateMap } from '../step-engine.js';
import { tf } from '../tf.js';

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
  /** Relative size of the parameter step used for p' (default 1e-3). */
  readonly relativeStep?: number;
  /** Seed of the pruning choices (default: the simulation's seed). */
  readonly seed?: number;
  /** Refuse (limit-exceeded) when the live alternatives could exceed this many bytes (default 4 GiB). */
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
  /** Model steps computed in all (primal + replays + alternatives), to compare with `steps`. */
  readonly stepsComputed: number;
  readonly metrics: Record<string, number[]>;
}

interface Recorded {
  readonly key: number;
  readonly hazard: boolean;
  readonly shape: readonly number[];
  readonly p: Float32Array;
  readonly x: Float32Array;
  readonly mask: Float32Array;
  readonly out: Float32Array;
}

const copy = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync() as Float32Array);
const cloneState = (s: StateMap): StateMap => new Map([...s].map(([p, t]) => [p, tf.clone(t)]));
const disposeState = (s: StateMap | undefined): void => s?.forEach((t) => t.dispose());

/** Event probability in float64 from float32 inputs. */
const probability = (hazard: boolean, p: number, x: number): number => (hazard ? -Math.expm1(-p * x) : Math.min(1, Math.max(0, p)));

/** Per-element flip rates of one event call from its primal record and the replays at theta +/- h. */
function flipRates(base: Recorded, plus: Recorded, minus: Recorded, h: number): Float64Array {
  const n = base.out.length;
  const w = new Float64Array(n);
  const at = (a: Float32Array, i: number) => a[a.length === 1 ? 0 : i]!;
  for (let i = 0; i < n; i++) {
    if (at(base.mask, i) === 0) continue;
    const prob = probability(base.hazard, at(base.p, i), at(base.x, i));
    const slope = (probability(base.hazard, at(plus.p, i), at(plus.x, i)) - probability(base.hazard, at(minus.p, i), at(minus.x, i))) / (2 * h);
    if (slope === 0 || !Number.isFinite(slope)) continue;
    const drawn = base.out[i] !== 0;
    if (slope > 0 && !drawn && prob < 1) w[i] = slope / (1 - prob);
    else if (slope < 0 && drawn && prob > 0) w[i] = -slope / prob;
  }
  return w;
}

/** The (call, element) where the running sum of rates passes `target` (the last candidate if rounding overshoots). */
function pick(rates: readonly Float64Array[], target: number): [number, number] {
  let last: [number, number] = [0, 0];
  for (let c = 0; c < rates.length; c++) {
    const r = rates[c]!;
    for (let i = 0; i < r.length; i++) {
      if (r[i]! > 0) {
        last = [c, i];
        target -= r[i]!;
        if (target <= 0) return last;
      }
    }
  }
  return last;
}

const readMetrics = (engine: ReturnType<Simulation[typeof SIMULATION_INTERNALS]>['engine'], state: StateMap, t: number, params: Readonly<Record<string, tf.Tensor>>): Float32Array =>
  tf.tidy(() => tf.stack(engine.metrics(state, t, params)).dataSync() as Float32Array);

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
  const { steps, entries, objective } = options;
  const replicates = options.replicates ?? 2;
  const rel = options.relativeStep ?? 1e-3;
  if (!Number.isInteger(steps) || steps < 1) throw new PopulaceError('invalid-argument', `stochasticDerivatives: steps expected a positive integer, received ${String(steps)}.`);
  if (!Number.isInteger(replicates) || replicates < 1) throw new PopulaceError('invalid-argument', `stochasticDerivatives: replicates expected a positive integer, received ${String(replicates)}.`);
  if (!(rel > 0 && rel < 0.1)) throw new PopulaceError('invalid-argument', `stochasticDerivatives: relativeStep expected a number in (0, 0.1), received ${String(rel)}.`);
  if (activeEventHook()) throw new PopulaceError('invalid-argument', 'stochasticDerivatives: cannot run inside another event hook.');
  const internals = sim[SIMULATION_INTERNALS]();
  const { engine } = internals;
  const names = engine.metricNames;
  const base = internals.paramTensors();
  const pruneSeed = (options.seed ?? sim.seed) >>> 0;

  // theta +/- h for each entry, as parameter maps that differ from the base in one tensor
  const shifted = entries.map((e) => {
    const t = base[e.param];
    if (!t) throw new PopulaceError('unknown-param', `stochasticDerivatives: no parameter '${e.param}'.`);
    const values = Float32Array.from(t.dataSync() as Float32Array);
    const i = e.index ?? 0;
    if (i < 0 || i >= values.length) throw new PopulaceError('invalid-argument', `stochasticDerivatives: '${e.param}' has ${values.length} entries, received index ${i}.`);
    const h = rel * Math.max(Math.abs(values[i]!), 1e-2);
    const make = (sign: number) => {
      const v = Float32Array.from(values);
      v[i] = values[i]! + sign * h;
      return { ...base, [e.param]: tf.tensor(v, t.shape, 'float32') };
    };
    const plus = make(1);
    const minus = make(-1);
    // the step actually representable in float32
    const hEff = ((plus[e.param]!.dataSync()[i]! - minus[e.param]!.dataSync()[i]!) as number) / 2;
    return { plus, minus, h: hEff, param: e.param };
  });

  const series: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const weights = entries.map(() => 0);
  interface Alt { state: StateMap; factors: number[]; replicate: number; series: Record<string, number[]> }
  const alts: Alt[] = [];
  let computed = 0;

  const record = (into: Recorded[]): EventHook => (call: EventCall, draw) => {
    const y = draw();
    into.push({ key: call.key, hazard: call.hazard, shape: call.shape, p: copy(call.p), x: copy(call.x), mask: copy(call.mask), out: copy(y) });
    return y;
  };
  const replay = (primal: Recorded[], into: Recorded[]): EventHook => (call: EventCall) => {
    const rec = primal[into.length];
    if (!rec || rec.key !== call.key || rec.out.length !== call.shape.reduce((a, b) => a * b, 1)) throw new PopulaceError('invalid-definition', 'stochasticDerivatives: a replayed step drew different events than its primal (events must not depend on the parameters through their number or order).');
    into.push({ key: call.key, hazard: call.hazard, shape: call.shape, p: copy(call.p), x: copy(call.x), mask: rec.mask, out: rec.out });
    return tf.tensor(rec.out, [...call.shape], 'float32');
  };
  const flip = (target: number, element: number): EventHook => {
    let ordinal = 0;
    return (call, draw) => {
      const y = draw();
      if (ordinal++ !== target) return y;
      const data = copy(y);
      const m = call.mask.size === 1 ? call.mask.dataSync()[0]! : call.mask.dataSync()[element]!;
      data[element] = data[element] !== 0 ? 0 : m;
      return tf.tensor(data, [...call.shape], 'float32');
    };
  };
  const advance = (state: StateMap, t: number, params: Readonly<Record<string, tf.Tensor>>, hook?: EventHook): void => {
    const run = () => {
      const pending = engine.advance(state, t, params, true);
      if (pending) throw new PopulaceError('invalid-argument', 'stochasticDerivatives: substeps must act synchronously.');
    };
    computed += 1;
    if (hook) withEventHook(hook, run);
    else run();
  };

  const primal = internals.initialState();
  // every alternative started stays live to the end: at most steps x replicates states
  const stateBytes = [...primal.values()].reduce((a, t) => a + t.size * (t.dtype === 'float32' || t.dtype === 'int32' ? 4 : 1), 0);
  const budget = options.maxMemoryBytes ?? 4 * 2 ** 30;
  if (stateBytes * steps * replicates > budget) {
    disposeState(primal);
    shifted.forEach((sh) => tf.dispose([sh.plus[sh.param]!, sh.minus[sh.param]!]));
    throw new PopulaceError('limit-exceeded', `stochasticDerivatives: up to ${steps * replicates} alternative states of ${(stateBytes / 2 ** 20).toFixed(1)} MB each would need ${((stateBytes * steps * replicates) / 2 ** 30).toFixed(1)} GiB, over the ${(budget / 2 ** 30).toFixed(1)} GiB budget; use fewer steps or agents, replicates: 1, a larger maxMemoryBytes, or the 'straight-through' estimator (one reverse pass, biased on contact networks).`);
  }
  // state smooth in the parameters with the draws held (declared by substeps): carried along each entry's replays
  const continuous = [...new Set(sim[SIMULATION_DEFINITION]().substeps.flatMap((s) => s.continuous ?? []))].filter((p) => primal.has(p));
  const carried: StateMap[][] = shifted.map(() => [0, 1].map(() => new Map(continuous.map((p) => [p, tf.clone(primal.get(p)!)]))));
  try {
    for (let t = 0; t < steps; t++) {
      const pre = cloneState(primal);
      try {
        const calls: Recorded[] = [];
        advance(primal, t, base, record(calls));
        const m = readMetrics(engine, primal, t, base);
        names.forEach((n, j) => series[n]!.push(m[j]!));
        for (const alt of alts) {
          advance(alt.state, t, base);
          const am = readMetrics(engine, alt.state, t, base);
          names.forEach((n, j) => alt.series[n]!.push(am[j]!));
        }
        // each entry's flip rates over this step's events
        const rates = entries.map((_, e) => {
          const { plus, minus, h } = shifted[e]!;
          const reps = [plus, minus].map((params, side) => {
            const into: Recorded[] = [];
            const st = cloneState(pre);
            const own = carried[e]![side]!;
            try {
              for (const [p, v] of own) {
                st.get(p)!.dispose();
                st.set(p, v);
              }
              own.clear();
              advance(st, t, params, replay(calls, into));
              for (const p of continuous) {
                own.set(p, st.get(p)!);
                st.delete(p);
              }
            } finally {
              disposeState(st);
            }
            return into;
          });
          return calls.map((c, k) => flipRates(c, reps[0]![k]!, reps[1]![k]!, h));
        });
        const stepWeights = rates.map((r) => r.reduce((acc, v) => acc + v.reduce((a, b) => a + b, 0), 0));
        stepWeights.forEach((w, e) => (weights[e] = weights[e]! + w));
        const active = entries.map((_, e) => e).filter((e) => stepWeights[e]! > 0);
        if (active.length > 0) {
          // one proposal for all entries: the mean of their normalised rates
          const proposal = calls.map((c, k) => {
            const q = new Float64Array(c.out.length);
            for (const e of active) {
              const r = rates[e]![k]!;
              const scale = 1 / (active.length * stepWeights[e]!);
              for (let i = 0; i < q.length; i++) q[i] = q[i]! + r[i]! * scale;
            }
            return q;
          });
          for (let k = 0; k < replicates; k++) {
            // replicate k's alternative of this step: one event flipped, drawn from the proposal
            const key = streamKey(pruneSeed, t, hashString(`stochastic-derivative/${k}`));
            const [c, i] = pick(proposal, uniformAt(key, 0));
            const q = proposal[c]![i]!;
            const state = cloneState(pre);
            advance(state, t, base, flip(c, i));
            // importance weight of each entry: its rate of this flip over the proposal's probability
            const factors = entries.map((_, e) => (stepWeights[e]! > 0 ? rates[e]![c]![i]! / q : 0));
            const alt: Alt = { state, factors, replicate: k, series: Object.fromEntries(names.map((n) => [n, series[n]!.slice(0, t)])) };
            alts.push(alt);
            const am = readMetrics(engine, state, t, base);
            names.forEach((n, j) => alt.series[n]!.push(am[j]!));
          }
        }
      } finally {
        disposeState(pre);
      }
    }
    const value = objective(series);
    const gradients: number[] = [];
    const standardErrors: number[] = [];
    const differences = alts.map((alt) => objective(alt.series) - value);
    entries.forEach((_, e) => {
      const est = new Array<number>(replicates).fill(0);
      alts.forEach((alt, a) => (est[alt.replicate] = est[alt.replicate]! + alt.factors[e]! * differences[a]!));
      const mean = est.reduce((a, b) => a + b, 0) / est.length;
      const variance = est.length > 1 ? est.reduce((a, b) => a + (b - mean) ** 2, 0) / (est.length - 1) : 0;
      gradients.push(mean);
      standardErrors.push(Math.sqrt(variance / est.length));
    });
    return { value, gradients, standardErrors, jumpWeights: [...weights], stepsComputed: computed, metrics: series };
  } finally {
    disposeState(primal);
    carried.forEach((sides) => sides.forEach(disposeState));
    alts.forEach((a) => disposeState(a.state));
    shifted.forEach((s) => tf.dispose([s.plus[s.param]!, s.minus[s.param]!]));
  }
}
