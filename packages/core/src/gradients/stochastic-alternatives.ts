/**
 * The trajectories of the stochastic derivative (./stochastic-derivative.ts): the primal path,
 * each step's events replayed at theta +/- h for their flip rates, and the pruned alternative
 * paths with one event flipped. Written as a generator that yields the tensors it must read, so
 * that one computation serves a synchronous driver (dataSync) and an asynchronous one (data(),
 * webgpu).
 */
import { PopulaceError } from '../errors.js';
import { HostReads } from '../host-reads.js';
import type { EventCall, EventHook } from '../kernels/ops/event-hook.js';
import { hashString, streamKey, uniformAt } from '../random.js';
import { SIMULATION_DEFINITION, SIMULATION_INTERNALS, type Simulation } from '../simulation.js';
import type { StateMap } from '../step-engine.js';
import { tf } from '../tf.js';
import type { StochasticDerivativeOptions } from './stochastic-derivative.js';

interface Recorded {
  readonly key: number;
  readonly hazard: boolean;
  readonly shape: readonly number[];
  readonly p: Float32Array;
  readonly x: Float32Array;
  readonly mask: Float32Array;
  readonly out: Float32Array;
}

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

/** One stratum of a step's flips: its proposal (per call, summing to 1), the entries with rates in it, and its name in the pruning stream. */
interface Stratum {
  readonly name: string;
  readonly proposal: Float64Array[];
  readonly active: number[];
}

/**
 * The strata a step's alternatives are drawn from. 'none': one stratum, every flip of the step.
 * 'events': one per event call and flip direction (an event that happened undone, or one that did
 * not happen done), so that effects of opposite sign (e.g. a longer infectious period: fewer
 * recoveries, and at a fixed R fewer infections per day) are each sampled every step rather than
 * competing for one alternative. Per stratum, the proposal is the mean over the entries with
 * rates in it of their normalised rates, so one alternative serves every entry.
 */
function strata(calls: readonly Recorded[], rates: readonly Float64Array[][], stratify: 'none' | 'events'): Stratum[] {
  const groups = stratify === 'none' ? [{ name: '', k: -1, drawn: null }] : calls.flatMap((c, k) => [false, true].map((drawn) => ({ name: `/${k}/${c.key}/${drawn ? 1 : 0}`, k, drawn })));
  const out: Stratum[] = [];
  for (const g of groups) {
    const inGroup = (k: number, i: number) => (g.k === -1 || g.k === k) && (g.drawn === null || (calls[k]!.out[i] !== 0) === g.drawn);
    const totals = rates.map((perCall) => perCall.reduce((acc, r, k) => (g.k !== -1 && g.k !== k ? acc : r.reduce((a, v, i) => (v > 0 && inGroup(k, i) ? a + v : a), acc)), 0));
    const active = totals.map((_, e) => e).filter((e) => totals[e]! > 0);
    if (active.length === 0) continue;
    const proposal = calls.map((c, k) => {
      const q = new Float64Array(c.out.length);
      if (g.k !== -1 && g.k !== k) return q;
      for (const e of active) {
        const r = rates[e]![k]!;
        const scale = 1 / (active.length * totals[e]!);
        for (let i = 0; i < q.length; i++) if (r[i]! > 0 && inGroup(k, i)) q[i] = q[i]! + r[i]! * scale;
      }
      return q;
    });
    out.push({ name: g.name, proposal, active });
  }
  return out;
}

/** What the computation asks its driver for: tensors to read (answered with their values), or a step waiting for host reads. */
export type Request = readonly tf.Tensor[] | Promise<void>;

/** The trajectories computed; the driver evaluates the objective on them. */
export interface Trajectories {
  readonly series: Record<string, number[]>;
  readonly alts: readonly { factors: number[]; replicate: number; series: Record<string, number[]> }[];
  readonly weights: number[];
  readonly computed: number;
}

/** An event call's tensors kept until the step is over, then read in one go. */
interface Pending {
  readonly key: number;
  readonly hazard: boolean;
  readonly shape: readonly number[];
  readonly tensors: tf.Tensor[];
  readonly mask?: Float32Array;
  readonly out?: Float32Array;
}

const keepClone = (t: tf.Tensor): tf.Tensor => tf.keep(tf.clone(t));

/**
 * Element `element` of a draw flipped (to 0 if drawn, else to the mask's value there), on the
 * device: the other elements are the draw's own.
 */
function flipped(y: tf.Tensor, mask: tf.Tensor, element: number, shape: readonly number[]): tf.Tensor {
  const flat = tf.reshape(y, [-1]);
  const at = tf.equal(tf.range(0, flat.size, 1, 'int32'), tf.scalar(element, 'int32'));
  const drawn = tf.slice(flat, [element], [1]);
  const m = tf.cast(mask.size === 1 ? tf.reshape(mask, [1]) : tf.slice(tf.reshape(mask, [-1]), [element], [1]), 'float32');
  const value = tf.where(tf.notEqual(drawn, 0), tf.zerosLike(drawn), m);
  return tf.reshape(tf.where(at, tf.broadcastTo(value, [flat.size]), flat), [...shape]);
}

/**
 * The primal trajectory and the pruned alternatives, as a generator that yields the tensors it
 * must read (and, with `hostReads`, the steps waiting for host copies: webgpu) and receives their
 * values back.
 */
export function* trajectories(sim: Simulation, options: StochasticDerivativeOptions, hostReads: boolean): Generator<Request, Trajectories, ArrayLike<number>[]> {
  const { steps, entries } = options;
  const replicates = options.replicates ?? 2;
  const stratify = options.stratify ?? 'none';
  const rel = options.relativeStep ?? 1e-3;
  const internals = sim[SIMULATION_INTERNALS]();
  const { engine } = internals;
  const names = engine.metricNames;
  const base = internals.paramTensors();
  const pruneSeed = (options.seed ?? sim.seed) >>> 0;

  // theta +/- h for each entry, as parameter maps that differ from the base in one tensor
  const baseValues: Float32Array[] = [];
  for (const e of entries) {
    const t = base[e.param];
    if (!t) throw new PopulaceError('unknown-param', `stochasticDerivatives: no parameter '${e.param}'.`);
    baseValues.push(Float32Array.from((yield [t])[0]!));
  }
  const shifted = entries.map((e, q) => {
    const t = base[e.param]!;
    const values = baseValues[q]!;
    const i = e.index ?? 0;
    if (i < 0 || i >= values.length) throw new PopulaceError('invalid-argument', `stochasticDerivatives: '${e.param}' has ${values.length} entries, received index ${i}.`);
    const h = rel * Math.max(Math.abs(values[i]!), 1e-2);
    const make = (sign: number) => {
      const v = Float32Array.from(values);
      v[i] = values[i]! + sign * h;
      return { params: { ...base, [e.param]: tf.tensor(v, t.shape, 'float32') }, at: v[i]! };
    };
    const plus = make(1);
    const minus = make(-1);
    // the step actually representable in float32 (v holds the float32 values the tensors hold)
    const hEff = (plus.at - minus.at) / 2;
    return { plus: plus.params, minus: minus.params, h: hEff, param: e.param };
  });

  const series: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const weights = entries.map(() => 0);
  interface Alt { state: StateMap; factors: number[]; replicate: number; series: Record<string, number[]> }
  const alts: Alt[] = [];
  let computed = 0;
  const host = hostReads ? new HostReads('fetch', false) : undefined;

  // the hooks keep copies of each call's tensors; `settle` reads them once the step is over
  const record = (into: Pending[]): EventHook => (call: EventCall, draw) => {
    const y = draw();
    into.push({ key: call.key, hazard: call.hazard, shape: call.shape, tensors: [call.p, call.x, call.mask, y].map(keepClone) });
    return y;
  };
  const replay = (primal: Recorded[], into: Pending[]): EventHook => (call: EventCall) => {
    const rec = primal[into.length];
    if (!rec || rec.key !== call.key || rec.out.length !== call.shape.reduce((a, b) => a * b, 1)) throw new PopulaceError('invalid-definition', 'stochasticDerivatives: a replayed step drew different events than its primal (events must not depend on the parameters through their number or order).');
    into.push({ key: call.key, hazard: call.hazard, shape: call.shape, tensors: [call.p, call.x].map(keepClone), mask: rec.mask, out: rec.out });
    return tf.tensor(rec.out, [...call.shape], 'float32');
  };
  const flip = (target: number, element: number): EventHook => {
    let ordinal = 0;
    return (call, draw) => {
      const y = draw();
      return ordinal++ !== target ? y : flipped(y, call.mask, element, call.shape);
    };
  };
  function* settle(pending: Pending[]): Generator<Request, Recorded[], ArrayLike<number>[]> {
    const tensors = pending.flatMap((c) => c.tensors);
    try {
      const values = tensors.length === 0 ? [] : yield tensors;
      let k = 0;
      return pending.map((c) => {
        const [p, x, mask, out] = c.tensors.map(() => Float32Array.from(values[k++]!));
        return { key: c.key, hazard: c.hazard, shape: c.shape, p: p!, x: x!, mask: c.mask ?? mask!, out: c.out ?? out! };
      });
    } finally {
      tf.dispose(tensors);
    }
  }
  function* advance(state: StateMap, t: number, params: Readonly<Record<string, tf.Tensor>>, hook?: EventHook): Generator<Request, void, ArrayLike<number>[]> {
    computed += 1;
    // synchronous acts only (sync = true); with host reads the step may wait between substeps
    const waiting = engine.advance(state, t, params, true, host, hook);
    if (waiting) yield waiting;
  }
  function* readMetrics(state: StateMap, t: number, params: Readonly<Record<string, tf.Tensor>>): Generator<Request, ArrayLike<number>, ArrayLike<number>[]> {
    const stacked = tf.tidy(() => tf.stack(engine.metrics(state, t, params)));
    try {
      return (yield [stacked])[0]!;
    } finally {
      stacked.dispose();
    }
  }

  const primal = internals.initialState();
  // every alternative started stays live to the end: at most steps x replicates states
  const stateBytes = [...primal.values()].reduce((a, t) => a + t.size * (t.dtype === 'float32' || t.dtype === 'int32' ? 4 : 1), 0);
  const budget = options.maxMemoryBytes ?? 4 * 2 ** 30;
  const overBudget = (states: number) =>
    new PopulaceError('limit-exceeded', `stochasticDerivatives: ${states} alternative states of ${(stateBytes / 2 ** 20).toFixed(1)} MB each would need ${((stateBytes * states) / 2 ** 30).toFixed(1)} GiB, over the ${(budget / 2 ** 30).toFixed(1)} GiB budget; use fewer steps or agents, replicates: 1, stratify: 'none', a larger maxMemoryBytes, or the 'straight-through' estimator (one reverse pass, biased on contact networks).`);
  // without strata the count is known up front: at most steps x replicates
  if (stratify === 'none' && stateBytes * steps * replicates > budget) {
    disposeState(primal);
    shifted.forEach((sh) => tf.dispose([sh.plus[sh.param]!, sh.minus[sh.param]!]));
    throw overBudget(steps * replicates);
  }
  // state smooth in the parameters with the draws held (declared by substeps `continuous`, e.g. an
  // ODE's): carried along each entry's replays from step to step, so p' includes its effect
  const continuous = [...new Set(sim[SIMULATION_DEFINITION]().substeps.flatMap((s) => s.continuous ?? []))].filter((p) => primal.has(p));
  const carried: StateMap[][] = shifted.map(() => [0, 1].map(() => new Map(continuous.map((p) => [p, tf.clone(primal.get(p)!)]))));
  try {
    for (let t = 0; t < steps; t++) {
      const pre = cloneState(primal);
      try {
        const pendingCalls: Pending[] = [];
        try {
          yield* advance(primal, t, base, record(pendingCalls));
        } catch (error) {
          tf.dispose(pendingCalls.flatMap((c) => c.tensors));
          throw error;
        }
        const calls = yield* settle(pendingCalls);
        const m = yield* readMetrics(primal, t, base);
        names.forEach((n, j) => series[n]!.push(m[j]!));
        for (const alt of alts) {
          yield* advance(alt.state, t, base);
          const am = yield* readMetrics(alt.state, t, base);
          names.forEach((n, j) => alt.series[n]!.push(am[j]!));
        }
        // each entry's flip rates over this step's events
        const rates: Float64Array[][] = [];
        for (const [e, { plus, minus, h }] of shifted.entries()) {
          const reps: Recorded[][] = [];
          for (const [side, params] of [plus, minus].entries()) {
            const into: Pending[] = [];
            const st = cloneState(pre);
            const own = carried[e]![side]!;
            try {
              for (const [p, v] of own) {
                st.get(p)!.dispose();
                st.set(p, v);
              }
              own.clear();
              yield* advance(st, t, params, replay(calls, into));
              for (const p of continuous) {
                own.set(p, st.get(p)!);
                st.delete(p);
              }
            } catch (error) {
              tf.dispose(into.flatMap((c) => c.tensors));
              throw error;
            } finally {
              disposeState(st);
            }
            reps.push(yield* settle(into));
          }
          rates.push(calls.map((c, k) => flipRates(c, reps[0]![k]!, reps[1]![k]!, h)));
        }
        const stepWeights = rates.map((r) => r.reduce((acc, v) => acc + v.reduce((a, b) => a + b, 0), 0));
        stepWeights.forEach((w, e) => (weights[e] = weights[e]! + w));
        for (const stratum of strata(calls, rates, stratify)) {
          for (let k = 0; k < replicates; k++) {
            // replicate k's alternative of this step (and stratum): one event flipped, drawn from the proposal
            const key = streamKey(pruneSeed, t, hashString(`stochastic-derivative/${k}${stratum.name}`));
            const [c, i] = pick(stratum.proposal, uniformAt(key, 0));
            const q = stratum.proposal[c]![i]!;
            if (stateBytes * (alts.length + 1) > budget) throw overBudget(alts.length + 1);
            const state = cloneState(pre);
            try {
              yield* advance(state, t, base, flip(c, i));
            } catch (error) {
              disposeState(state);
              throw error;
            }
            // importance weight of each entry: its rate of this flip over the proposal's probability
            const factors = entries.map((_, e) => (stratum.active.includes(e) ? rates[e]![c]![i]! / q : 0));
            const alt: Alt = { state, factors, replicate: k, series: Object.fromEntries(names.map((n) => [n, series[n]!.slice(0, t)])) };
            alts.push(alt);
            const am = yield* readMetrics(state, t, base);
            names.forEach((n, j) => alt.series[n]!.push(am[j]!));
          }
        }
      } finally {
        disposeState(pre);
      }
    }
    return { series, alts: alts.map(({ factors, replicate, series: s }) => ({ factors, replicate, series: s })), weights, computed };
  } finally {
    disposeState(primal);
    carried.forEach((sides) => sides.forEach(disposeState));
    alts.forEach((a) => disposeState(a.state));
    shifted.forEach((s) => tf.dispose([s.plus[s.param]!, s.minus[s.param]!]));
  }
}
