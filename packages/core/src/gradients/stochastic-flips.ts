/**
 * The flips of the stochastic derivative (./stochastic-alternatives.ts): each event's rate of
 * changing when a parameter moves, the proposal an alternative is drawn from, and the event hooks
 * that make an alternative path differ from the primal.
 *
 * Two kinds of events:
 * - a daily draw x = 1[u < p] (fresh uniform each step): raising theta flips x from 0 to 1 at
 *   rate p' / (1 - p), or from 1 to 0 at rate -p' / p; its alternative is the step with x flipped;
 * - a first passage x = 1[u < P_t] (`ctx.sample.threshold`: one uniform per element for the whole
 *   run, P_t a running probability): the passage happens at the first step where P_t > u. With
 *   F_t the objective when it passes at step t, E[F] = sum_t F_t (P_t - P_t-1) + F_never (1 - P_T)
 *   over the steps where P rose, and by parts d E[F] / d theta = sum_t P_t' (F_t - F_next(t)),
 *   next(t) the next step where P rises. Given the path, an element still below its threshold
 *   after a step t where its P rose (u > P_t, probability 1 - P_t) carries that term at rate
 *   P_t' / (1 - P_t), signed, and with two alternatives: passed at t (the flip) and passed at
 *   next(t) (a hook that holds its uniform just above P_t for the rest of the run), weighted
 *   +w / q and -w / q. Neither is the primal, whose element may pass much later or never.
 */
import type { EventCall, EventHook } from '../kernels/ops/event-hook.js';
import { tf } from '../tf.js';

/** One event call of a step, read back on the host. */
export interface Recorded {
  readonly key: number;
  readonly hazard: boolean;
  readonly threshold: boolean;
  readonly shape: readonly number[];
  readonly p: Float32Array;
  readonly x: Float32Array;
  readonly mask: Float32Array;
  readonly out: Float32Array;
}

/** Event probability in float64 from float32 inputs. */
const probability = (hazard: boolean, p: number, x: number): number => (hazard ? -Math.expm1(-p * x) : Math.min(1, Math.max(0, p)));

/**
 * A first passage's running value of element i in float32, as the hook compares it on the device:
 * the running probability, or with an exposure the accumulated hazard (p x exposure).
 */
export const runningAt = (rec: Recorded, i: number): number => {
  const p = rec.p[rec.p.length === 1 ? 0 : i]!;
  return rec.hazard ? Math.fround(p * rec.x[rec.x.length === 1 ? 0 : i]!) : p;
};

/**
 * A first-passage call's running values (runningAt) where its mask is set, 0 where it is not: an
 * element that comes under the mask later (an agent entering a stage) starts its passage from 0,
 * whatever the running value held before.
 */
export const runningValues = (rec: Recorded): Float32Array => Float32Array.from(rec.out, (_, i) => (rec.mask[rec.mask.length === 1 ? 0 : i] !== 0 ? runningAt(rec, i) : 0));

/**
 * Per-element flip rates of one event call from its primal record and the replays at theta +/- h.
 * Signed for first passages (the sign goes into the alternatives' factors), which also need the
 * running probability of the previous step (`previous`; 0 before the first); positive otherwise.
 */
export function flipRates(base: Recorded, plus: Recorded, minus: Recorded, h: number, previous?: Float32Array): Float64Array {
  const n = base.out.length;
  const w = new Float64Array(n);
  const at = (a: Float32Array, i: number) => a[a.length === 1 ? 0 : i]!;
  for (let i = 0; i < n; i++) {
    if (at(base.mask, i) === 0) continue;
    const prob = probability(base.hazard, at(base.p, i), at(base.x, i));
    const slope = (probability(base.hazard, at(plus.p, i), at(plus.x, i)) - probability(base.hazard, at(minus.p, i), at(minus.x, i))) / (2 * h);
    if (slope === 0 || !Number.isFinite(slope)) continue;
    const drawn = base.out[i] !== 0;
    if (base.threshold) {
      // only where the running probability rose this step: a step where it did not is no step the
      // passage can move to (its boundary is the previous step's, counted there)
      if (!drawn && prob < 1 && runningAt(base, i) > (previous ? at(previous, i) : 0)) w[i] = slope / (1 - prob);
    } else if (slope > 0 && !drawn && prob < 1) w[i] = slope / (1 - prob);
    else if (slope < 0 && drawn && prob > 0) w[i] = -slope / prob;
  }
  return w;
}

/** The (call, element) where the running sum of proposal mass passes `target` (the last candidate if rounding overshoots). */
export function pick(proposal: readonly Float64Array[], target: number): [number, number] {
  let last: [number, number] = [0, 0];
  for (let c = 0; c < proposal.length; c++) {
    const r = proposal[c]!;
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
export interface Stratum {
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
 * rates in it of their normalised absolute rates, so one alternative serves every entry.
 */
export function strata(calls: readonly Recorded[], rates: readonly Float64Array[][], stratify: 'none' | 'events'): Stratum[] {
  const groups = stratify === 'none' ? [{ name: '', k: -1, drawn: null }] : calls.flatMap((c, k) => [false, true].map((drawn) => ({ name: `/${k}/${c.key}/${drawn ? 1 : 0}`, k, drawn })));
  const out: Stratum[] = [];
  for (const g of groups) {
    const inGroup = (k: number, i: number) => (g.k === -1 || g.k === k) && (g.drawn === null || (calls[k]!.out[i] !== 0) === g.drawn);
    const totals = rates.map((perCall) => perCall.reduce((acc, r, k) => (g.k !== -1 && g.k !== k ? acc : r.reduce((a, v, i) => (v !== 0 && inGroup(k, i) ? a + Math.abs(v) : a), acc)), 0));
    const active = totals.map((_, e) => e).filter((e) => totals[e]! > 0);
    if (active.length === 0) continue;
    const proposal = calls.map((c, k) => {
      const q = new Float64Array(c.out.length);
      if (g.k !== -1 && g.k !== k) return q;
      for (const e of active) {
        const r = rates[e]![k]!;
        const scale = 1 / (active.length * totals[e]!);
        for (let i = 0; i < q.length; i++) if (r[i]! !== 0 && inGroup(k, i)) q[i] = q[i]! + Math.abs(r[i]!) * scale;
      }
      return q;
    });
    out.push({ name: g.name, proposal, active });
  }
  return out;
}

/** Element `element` of a draw replaced by `value` (a [1] tensor), on the device: the other elements are the draw's own. */
function replaced(y: tf.Tensor, element: number, value: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const flat = tf.reshape(y, [-1]);
  const at = tf.equal(tf.range(0, flat.size, 1, 'int32'), tf.scalar(element, 'int32'));
  return tf.reshape(tf.where(at, tf.broadcastTo(value, [flat.size]), flat), [...shape]);
}

/** Element `element` of a [n] or scalar tensor as a float32 [1] tensor. */
const elementOf = (t: tf.Tensor, element: number): tf.Tensor => tf.cast(t.size === 1 ? tf.reshape(t, [1]) : tf.slice(tf.reshape(t, [-1]), [element], [1]), 'float32');

/**
 * The hook of a flip alternative: the `target`-th event call of the step it runs has element
 * `element` flipped (to 0 if drawn, else to the mask's value there). Used for one step.
 */
export function flipHook(target: number, element: number): EventHook {
  let ordinal = 0;
  return (call, draw) => {
    const y = draw();
    if (ordinal++ !== target) return y;
    const drawn = tf.slice(tf.reshape(y, [-1]), [element], [1]);
    return replaced(y, element, tf.where(tf.notEqual(drawn, 0), tf.zerosLike(drawn), elementOf(call.mask, element)), call.shape);
  };
}

/**
 * The hook of a "passes later" alternative of a first passage: on every step it runs, the calls
 * with `key` (a threshold stream's key does not change with the step) compare element `element`
 * with a uniform held just above `boundary` (the primal's running probability when the flip was
 * drawn; with an exposure, the accumulated hazard): the element passes at the first step whose
 * running value exceeds it. Kept for the rest of the run.
 */
export function passLaterHook(key: number, element: number, boundary: number): EventHook {
  const above = Math.fround(boundary);
  return (call: EventCall, draw) => {
    const y = draw();
    if (call.key !== key) return y;
    const running = call.hazard ? tf.mul(elementOf(call.p, element), elementOf(call.x, element)) : elementOf(call.p, element);
    const passes = tf.cast(tf.greater(running, tf.scalar(above, 'float32')), 'float32');
    return replaced(y, element, tf.mul(passes, elementOf(call.mask, element)), call.shape);
  };
}
