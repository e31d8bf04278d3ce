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
import { DEFAULT_STOCHASTIC_REPLICATES } from './estimators.js';
import { flipHook, flipRates, passLaterHook, pick, runningAt, runningValues, strata, type Recorded } from './stochastic-flips.js';

const cloneState = (s: StateMap): StateMap => new Map([...s].map(([p, t]) => [p, tf.clone(t)]));
const disposeState = (s: StateMap | undefined): void => s?.forEach((t) => t.dispose());

/** What the computation asks its driver for: tensors to read (answered with their values), or a step waiting for host reads. */
export type Request = readonly tf.Tensor[] | Promise<void>;

/** The trajectories computed; the driver evaluates the objective on them. */
export interface Trajectories {
  readonly series: Record<string, number[]>;
  /** Each alternative: its importance factors per entry, replicate, the step it branched at, and its metric series. */
  readonly alts: readonly { factors: number[]; replicate: number; step: number; series: Record<string, number[]> }[];
  readonly weights: number[];
  readonly computed: number;
}

/**
 * The estimator's options, and the alternatives per replicate at each step (`perStep[t]`, default 1:
 * floor(m) alternatives and one more with probability m - floor(m), each weighted 1 / m, so the
 * estimate stays unbiased for any m > 0; ./stochastic-allocation.ts chooses them).
 */
export type TrajectoryOptions = StochasticDerivativeOptions & { readonly perStep?: readonly number[] };

/** An event call's tensors kept until the step is over, then read in one go. */
interface Pending {
  readonly key: number;
  readonly hazard: boolean;
  readonly threshold: boolean;
  readonly shape: readonly number[];
  readonly tensors: tf.Tensor[];
  readonly mask?: Float32Array;
  readonly out?: Float32Array;
}

const keepClone = (t: tf.Tensor): tf.Tensor => tf.keep(tf.clone(t));

/**
 * The primal trajectory and the pruned alternatives, as a generator that yields the tensors it
 * must read (and, with `hostReads`, the steps waiting for host copies: webgpu) and receives their
 * values back.
 */
export function* trajectories(sim: Simulation, options: TrajectoryOptions, hostReads: boolean): Generator<Request, Trajectories, ArrayLike<number>[]> {
  const { steps, entries } = options;
  const replicates = options.replicates ?? DEFAULT_STOCHASTIC_REPLICATES;
  const stratify = options.stratify ?? 'none';
  const perStep = options.perStep;
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
  interface Alt { factors: number[]; replicate: number; step: number; series: Record<string, number[]> }
  const alts: Alt[] = [];
  let computed = 0;
  const host = hostReads ? new HostReads('fetch', false) : undefined;

  // the hooks keep copies of each call's tensors; `settle` reads them once the step is over
  const record = (into: Pending[]): EventHook => (call: EventCall, draw) => {
    const y = draw();
    into.push({ key: call.key, hazard: call.hazard, threshold: call.threshold, shape: call.shape, tensors: [call.p, call.x, call.mask, y].map(keepClone) });
    return y;
  };
  const replay = (primal: Recorded[], into: Pending[]): EventHook => (call: EventCall) => {
    const rec = primal[into.length];
    if (!rec || rec.key !== call.key || rec.out.length !== call.shape.reduce((a, b) => a * b, 1)) throw new PopulaceError('invalid-definition', 'stochasticDerivatives: a replayed step drew different events than its primal (events must not depend on the parameters through their number or order).');
    into.push({ key: call.key, hazard: call.hazard, threshold: call.threshold, shape: call.shape, tensors: [call.p, call.x].map(keepClone), mask: rec.mask, out: rec.out });
    return tf.tensor(rec.out, [...call.shape], 'float32');
  };
  function* settle(pending: Pending[]): Generator<Request, Recorded[], ArrayLike<number>[]> {
    const tensors = pending.flatMap((c) => c.tensors);
    try {
      const values = tensors.length === 0 ? [] : yield tensors;
      let k = 0;
      return pending.map((c) => {
        const [p, x, mask, out] = c.tensors.map(() => Float32Array.from(values[k++]!));
        return { key: c.key, hazard: c.hazard, threshold: c.threshold, shape: c.shape, p: p!, x: x!, mask: c.mask ?? mask!, out: c.out ?? out! };
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
  // live at once: the primal, its state before the step, and one alternative (run to the end before the next starts)
  const stateBytes = [...primal.values()].reduce((a, t) => a + t.size * (t.dtype === 'float32' || t.dtype === 'int32' ? 4 : 1), 0);
  const budget = options.maxMemoryBytes ?? 4 * 2 ** 30;
  const overBudget = (states: number) =>
    new PopulaceError('limit-exceeded', `stochasticDerivatives: ${states} simulation states of ${(stateBytes / 2 ** 20).toFixed(1)} MB each (the primal, its previous step and one alternative) would need ${((stateBytes * states) / 2 ** 30).toFixed(2)} GiB, over the ${(budget / 2 ** 30).toFixed(2)} GiB budget; use fewer agents, a larger maxMemoryBytes, or the 'straight-through' estimator (one reverse pass, biased on contact networks).`);
  if (stateBytes * 3 > budget) {
    disposeState(primal);
    shifted.forEach((sh) => tf.dispose([sh.plus[sh.param]!, sh.minus[sh.param]!]));
    throw overBudget(3);
  }
  // state smooth in the parameters with the draws held (declared by substeps `continuous`, e.g. an
  // ODE's): carried along each entry's replays from step to step, so p' includes its effect
  const continuous = [...new Set(sim[SIMULATION_DEFINITION]().substeps.flatMap((s) => s.continuous ?? []))].filter((p) => primal.has(p));
  // first passages: each threshold stream's running probabilities of the previous step
  const runningBefore = new Map<number, Float32Array>();
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
          rates.push(calls.map((c, k) => flipRates(c, reps[0]![k]!, reps[1]![k]!, h, c.threshold ? runningBefore.get(c.key) : undefined)));
        }
        for (const c of calls) if (c.threshold) runningBefore.set(c.key, runningValues(c));
        const stepWeights = rates.map((r) => r.reduce((acc, v) => acc + v.reduce((a, b) => a + Math.abs(b), 0), 0));
        stepWeights.forEach((w, e) => (weights[e] = weights[e]! + w));
        // alternatives per replicate at this step: perReplicate on average (roulette for the fraction), each weighted 1 / perReplicate
        const perReplicate = perStep?.[t] ?? 1;
        for (const stratum of strata(calls, rates, stratify)) {
          for (let k = 0; k < replicates; k++) {
            const tag = `stochastic-derivative/${k}${stratum.name}`;
            const fraction = perReplicate - Math.floor(perReplicate);
            // the roulette's draw only where there is a fraction (never with the uniform allocation)
            const count = Math.floor(perReplicate) + (fraction > 0 && uniformAt(streamKey(pruneSeed, t, hashString(`${tag}/count`)), 0) < fraction ? 1 : 0);
            for (let extra = 0; extra < count; extra++) {
              // replicate k's extra-th alternative of this step (and stratum): one event flipped, drawn from the proposal
              const key = streamKey(pruneSeed, t, hashString(extra === 0 ? tag : `${tag}/${extra}`));
              const [c, i] = pick(stratum.proposal, uniformAt(key, 0));
              const q = stratum.proposal[c]![i]!;
              // importance weight of each entry: its (signed) rate of this flip over the proposal's probability
              const factors = entries.map((_, e) => (stratum.active.includes(e) ? rates[e]![c]![i]! / (q * perReplicate) : 0));
              // a first passage: passed at this step (+) against passed at the next step it can (-)
              const call = calls[c]!;
              const variants: [EventHook, number, boolean][] = call.threshold ? [[flipHook(c, i), 1, false], [passLaterHook(call.key, i, runningAt(call, i)), -1, true]] : [[flipHook(c, i), 1, false]];
              for (const [hook, sign, persists] of variants) {
                const alt: Alt = { factors: factors.map((f) => sign * f), replicate: k, step: t, series: Object.fromEntries(names.map((n) => [n, series[n]!.slice(0, t)])) };
                // run to the end at once (depth first): one alternative state is live at a time
                const state = cloneState(pre);
                try {
                  for (let s = t; s < steps; s++) {
                    yield* advance(state, s, base, s === t || persists ? hook : undefined);
                    const am = yield* readMetrics(state, s, base);
                    names.forEach((n, j) => alt.series[n]!.push(am[j]!));
                  }
                } finally {
                  disposeState(state);
                }
                alts.push(alt);
              }
            }
          }
        }
      } finally {
        disposeState(pre);
      }
    }
    return { series, alts, weights, computed };
  } finally {
    disposeState(primal);
    carried.forEach((sides) => sides.forEach(disposeState));
    shifted.forEach((s) => tf.dispose([s.plus[s.param]!, s.minus[s.param]!]));
  }
}
