/**
 * Contact layers: the optional networks every epidemic model of this package
 * declares, their weight parameters, and the infection exposure they produce.
 *
 * Semantics of the transmission rate `beta` (the same in both modes):
 *
 * - Homogeneous mixing (the population has none of the layers, or there is no
 *   population): a susceptible agent's daily hazard is `beta * I / N`, so it is
 *   infected with probability `1 - exp(-beta * I / N)`.
 * - Network mode (at least one layer present): each in-contact `c` of agent `i`
 *   on layer `l` with edge weight `a` (1 when the network has no weights)
 *   contributes the hazard `beta * w_l * a * I_c / D`, where `w_l` is the
 *   layer's weight parameter and `D = sum_l w_l * d_l` the population's mean
 *   weighted in-degree (`d_l` = sum of layer `l`'s edge weights / N, over the
 *   present layers). So `beta` stays "infectious contacts per person per day":
 *   an agent of average weighted degree all of whose contacts are infectious
 *   has hazard `beta`, as a well-mixed agent does when everybody is infectious,
 *   and on a complete graph network mode equals homogeneous mixing. The layer
 *   weights only set the relative strength of a contact on each layer; scaling
 *   them all by the same factor changes nothing.
 */
import { PopulaceError, tf, type EnvironmentSpec, type InitContext, type NetworkSpec, type ParameterSpec, type PopulationData, type SubstepContext } from '@populace/core';
import { weightedSum } from './weighted-sum.js';

/** The contact layers, in the order of the `layerDegrees` environment value. */
export const LAYERS = ['household', 'school', 'work', 'community', 'contacts'] as const;

/** One contact layer of a population. */
export type Layer = (typeof LAYERS)[number];

const LAYER_TEXT: Record<Layer, string> = {
  household: 'members of the same household',
  school: 'classmates and school staff',
  work: 'co-workers',
  community: 'other contacts in the community',
  contacts: 'generic contacts (the example populations of @populace/core)',
};

/** The name of a layer's weight parameter: `householdWeight`, `schoolWeight`, ... */
export const weightParam = (layer: Layer): string => `${layer}Weight`;

/** Path of the environment value holding each layer's mean weighted in-degree. */
export const LAYER_DEGREES = 'env/layerDegrees' as const;

/** The optional network declarations of a model on agent type `people`. */
export function layerNetworks(): Record<Layer, NetworkSpec> {
  return Object.fromEntries(LAYERS.map((l) => [l, { agents: 'people', optional: true, description: `${LAYER_TEXT[l]} (optional; absent layers are skipped, no layer at all means homogeneous mixing)` }])) as Record<Layer, NetworkSpec>;
}

/** Network state paths of the layers (for a substep's reads). */
export const LAYER_PATHS = LAYERS.map((l) => `networks/${l}` as const);

/**
 * Weight parameters of the layers: the relative strength of one contact on each layer,
 * learnable, in [0, 100]. `defaults` gives each layer's default; `source` cites it.
 */
export function layerWeightParams(defaults: Readonly<Record<Layer, number>>, source: string): Record<string, ParameterSpec> {
  return Object.fromEntries(
    LAYERS.map((l) => [weightParam(l), { default: defaults[l], bounds: [0, 100], learnable: true, description: `relative transmission weight of one ${l} contact (${source}); only ratios between layers matter` } satisfies ParameterSpec]),
  );
}

/** Mean weighted in-degree of one population network: sum of edge weights / agents (0 when absent). */
export function meanDegree(population: PopulationData | undefined, layer: string): number {
  const net = population?.networks?.[layer];
  const agents = net ? (population?.agents[net.agents]?.count ?? 0) : 0;
  if (!net || agents === 0) return 0;
  if (net.kind === 'hashed') return net.degree;
  if (!net.weights) return net.colIdx.length / agents;
  let total = 0;
  for (let e = 0; e < net.weights.length; e++) total += net.weights[e]!;
  return total / agents;
}

/** The environment value `layerDegrees`: [d_household, d_school, d_work, d_community, d_contacts], computed once from the population. */
export const layerDegreesSpec: EnvironmentSpec = {
  dtype: 'float32',
  shape: [LAYERS.length],
  description: `mean weighted in-degree of each layer (${LAYERS.join(', ')}); 0 where the population lacks it`,
  init: (ctx: InitContext) => LAYERS.map((l) => meanDegree(ctx.population, l)),
};

/** The layers present in this simulation's population. */
export function presentLayers(ctx: SubstepContext): Layer[] {
  return LAYERS.filter((l) => ctx.network(l) !== undefined);
}

/** `D = sum over present layers of w_l * d_l` (a differentiable scalar), at least 1e-12. */
export function totalDegree(ctx: SubstepContext, layers: readonly Layer[]): tf.Tensor {
  const degrees = ctx.get(LAYER_DEGREES);
  const terms = layers.map((l) => tf.mul(ctx.param(weightParam(l)), tf.reshape(tf.slice(degrees, [LAYERS.indexOf(l)], [1]), [])));
  return tf.maximum(tf.addN(terms), 1e-12);
}

/**
 * The infectious pressure on every agent over the present layers (at least one):
 * `sum_l (scale * w_l / D) * messagePass(l, senders(l))`, one message pass per layer and one fused
 * weighted sum, differentiable in `scale`, the weights and the senders.
 */
export function networkPressure(ctx: SubstepContext, layers: readonly Layer[], senders: (layer: Layer) => tf.Tensor, scale: tf.Tensor): tf.Tensor {
  if (layers.length === 0) throw new PopulaceError('invalid-argument', 'networkPressure: expected at least one present contact layer; use homogeneous mixing when there is none.');
  const perDegree = tf.div(scale, totalDegree(ctx, layers));
  return weightedSum(
    layers.map((l) => ctx.messagePass(l, senders(l))),
    layers.map((l) => tf.mul(perDegree, ctx.param(weightParam(l)))),
  );
}
