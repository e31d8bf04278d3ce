/**
 * The infection hazard of `epi/covid`: the layer semantics of layers.ts with
 * each agent's infectiousness (symptomatic 1, asymptomatic
 * `asymptomaticInfectiousness`), susceptibility, and isolation, which keeps a
 * fraction f of an isolated person's transmission on each layer, both ways
 * (f = householdIsolationFactor at home, otherIsolationFactor elsewhere and in
 * well-mixed mode):
 *
 *   hazard_i = beta * s_i * sum_l (w_l / D) * (1 - (1 - f_l) iso_i) * sum_{c in N_l(i)} a_ic * inf_c * (1 - (1 - f_l) iso_c)
 *
 * On the community layer each term is also scaled by the community activity of
 * both people (act_i * act_c, from their ages: communityAgeMixing, mossong2008).
 * The work layer's weight is also scaled by the `workActivity` input (the share of
 * work contacts that take place, 1 by default; e.g. supplychain/labor's workMobility
 * in a composed run), outside the degree normalisation D: fewer people at work
 * means less transmission, not more on the other layers.
 *   well-mixed: beta * s_i * (1 - (1 - f) iso_i) * sum_c inf_c * (1 - (1 - f) iso_c) / N
 */
import { linearCombine, sumAll, tf, type SubstepContext } from '@populace/core';
import { presentLayers, totalDegree, weightParam, type Layer } from '../layers.js';
import { weightedSum } from '../weighted-sum.js';
import { paramNumber } from '../param-value.js';

/** Isolation as exposure sees it: who is isolating, and the fraction of transmission that remains. */
export interface IsolationEffect {
  readonly isolated: tf.Tensor;
  readonly household: number;
  readonly other: number;
}

/** The isolation effect of this step, or undefined when nobody is isolating (nothing to compute). */
export function isolationEffect(ctx: SubstepContext, isolatedNow: tf.Tensor, isolated: tf.Tensor): IsolationEffect | undefined {
  if (isolatedNow.dataSync()[0]! <= 0) return undefined;
  return { isolated, household: paramNumber(ctx, 'householdIsolationFactor'), other: paramNumber(ctx, 'otherIsolationFactor') };
}

const factorOf = (layer: Layer, iso: IsolationEffect) => (layer === 'household' ? iso.household : iso.other);

/**
 * `{ rate, exposure, work }` with per-agent hazard rate * exposure, for the sample.hazard kernel:
 * `rate` is the susceptibility (times the receiver's isolation factor in well-mixed mode),
 * `exposure` beta times the weighted infectious pressure (a scalar in well-mixed mode), `work` the
 * part of `exposure` from the work layer (absent without one). Without isolation no stock op
 * touches every agent: the pressure is one fused weighted sum of the message passes.
 */
export function covidHazard(ctx: SubstepContext, beta: tf.Tensor, susceptibility: tf.Tensor, infectiousness: tf.Tensor, iso: IsolationEffect | undefined, activity?: tf.Tensor): { rate: tf.Tensor; exposure: tf.Tensor; work?: tf.Tensor } {
  const layers = presentLayers(ctx);
  const n = ctx.count('people');
  if (layers.length === 0) {
    if (!iso) return { rate: susceptibility, exposure: tf.div(tf.mul(beta, sumAll(infectiousness)), n) };
    const keep = 1 - iso.other;
    const sent = tf.sub(sumAll(infectiousness), tf.mul(keep, sumAll(tf.mul(infectiousness, iso.isolated))));
    const [rate] = linearCombine([susceptibility, tf.mul(susceptibility, iso.isolated)], [[1, -keep]]);
    return { rate: rate!, exposure: tf.div(tf.mul(beta, sent), n) };
  }
  if (!iso) {
    const { pressure, work } = networkPressureOf(ctx, layers, layers, infectiousness, beta, activity);
    return { rate: susceptibility, exposure: pressure, ...(work ? { work } : {}) };
  }
  // senders: inf * (1 - (1 - f) iso), one tensor per distinct factor f
  const infIso = tf.mul(infectiousness, iso.isolated);
  const factors = [...new Set(layers.map((l) => factorOf(l, iso)))];
  const senders = linearCombine([infectiousness, infIso], factors.map((f) => [1, -(1 - f)]));
  // receivers: sum over factor groups g of A_g * (1 - (1 - f_g) iso_i)
  const parts = factors.map((f, k) => networkPressureOf(ctx, layers, layers.filter((l) => factorOf(l, iso) === f), senders[k]!, beta, activity));
  const groups = parts.map((p) => p.pressure);
  const [total, isolatedPart] = linearCombine(groups, [groups.map(() => 1), factors.map((f) => 1 - f)]);
  const [exposure] = linearCombine([total!, tf.mul(iso.isolated, isolatedPart!)], [[1, -1]]);
  // the work layer's part, with the receiver's isolation factor of its group
  const k = parts.findIndex((p) => p.work !== undefined);
  const work = k < 0 ? undefined : tf.mul(parts[k]!.work!, tf.sub(1, tf.mul(1 - factors[k]!, iso.isolated)));
  return { rate: susceptibility, exposure: exposure!, ...(work ? { work } : {}) };
}

/** One layer's message pass; on the community layer scaled by the activity of sender and receiver (when given). */
function layerMessage(ctx: SubstepContext, layer: Layer, senders: tf.Tensor, activity: tf.Tensor | undefined): tf.Tensor {
  if (layer !== 'community' || !activity) return ctx.messagePass(layer, senders);
  return tf.mul(activity, ctx.messagePass(layer, tf.mul(senders, activity)));
}

/**
 * The pressure from a subset of the present layers, normalised by the degree of all present layers
 * (the work layer's weight times the `workActivity` input), and the work layer's part of it.
 */
function networkPressureOf(ctx: SubstepContext, present: readonly Layer[], members: readonly Layer[], senders: tf.Tensor, beta: tf.Tensor, activity: tf.Tensor | undefined): { pressure: tf.Tensor; work?: tf.Tensor } {
  const perDegree = tf.div(beta, totalDegree(ctx, present));
  const messages = members.map((l) => layerMessage(ctx, l, senders, activity));
  const weights = members.map((l) => (l === 'work' ? tf.mul(tf.mul(perDegree, ctx.param(weightParam(l))), tf.relu(ctx.input('workActivity'))) : tf.mul(perDegree, ctx.param(weightParam(l)))));
  const k = members.indexOf('work');
  return { pressure: weightedSum(messages, weights), ...(k < 0 ? {} : { work: tf.mul(messages[k]!, weights[k]!) }) };
}
