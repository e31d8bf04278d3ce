/**
 * What makes the parameter `R` of `epi/covid` the realised reproduction number
 * on the population the model runs on.
 *
 * The transmission rate is beta = R_mix / (infectiousDays * kappa), where
 * kappa is the population's mean susceptibility-weighted infectiousness and
 * R_mix is the reproduction number the population would have if it mixed
 * homogeneously. Without contact layers R_mix = R exactly. On contact layers,
 * the realised number differs from R_mix: household members are few and get
 * infected by the same case or by each other (saturation), children have few
 * contacts outside school and low susceptibility, older adults fewer community
 * contacts. So at initialisation the model measures the realised early
 * reproduction number R_real(R_mix) with the early-epidemic branching run of
 * branching.ts, on the population's own layers with the current layer weights,
 * ages and durations, at a grid of R_mix values, and inverts the increasing
 * curve: R_mix = g(R), linear between grid points (through the origin below the
 * first, and with the last ratio above the last). Inside a step g is applied as
 * R_mix = b + s * R with the segment's numbers, so d beta / d R is exact and
 * gradients in infectiousDays and asymptomaticInfectiousness flow as before
 * (the curve itself is held fixed: it is recomputed on reset, not differentiated).
 *
 * Curves are cached per population object and parameter values, so building
 * many simulations on one population measures once.
 */
import { tf, type EnvironmentSpec, type InitContext, type PopulationData } from '@populace/core';
import { LAYERS, meanDegree, weightParam } from '../layers.js';
import { ageBand, communityActivity, FALLBACK_AGE, P_SYMPTOMATIC, RELATIVE_SUSCEPTIBILITY } from './age-tables.js';
import { runBranching, type BranchingInput, type BranchingLayer } from './branching.js';
import { registerCurveSource } from './curve-source.js';
import { infectiousShape, latentShape, stageWeights } from './durations.js';

/** The R_mix values at which the realised reproduction number is measured. */
export const CALIBRATION_GRID: readonly number[] = [1, 2.5, 4.5, 7];

/** Length of the curve: (R_real, R_mix) pairs, the origin first. */
export const CURVE_LENGTH = 2 * (CALIBRATION_GRID.length + 1);

type Params = Readonly<Record<string, number | readonly number[]>>;
const num = (params: Params, name: string): number => Number(params[name]);

/** The early-epidemic branching input of a population (with layers) under these parameters. */
export function branchingInput(population: PopulationData, params: Params): BranchingInput | undefined {
  const present = LAYERS.filter((l) => population.networks?.[l] !== undefined);
  if (present.length === 0) return undefined;
  const agentType = population.networks![present[0]!]!.agents;
  const table = population.agents[agentType]!;
  const n = table.count;
  const ages = table.attributes?.age;
  const mixing = num(params, 'communityAgeMixing');
  const susceptibility = new Float32Array(n);
  const pSymptomatic = new Float32Array(n);
  const activity = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const age = ages ? Number(ages[i]) : FALLBACK_AGE;
    const k = ageBand(age);
    susceptibility[i] = RELATIVE_SUSCEPTIBILITY[k]!;
    pSymptomatic[i] = P_SYMPTOMATIC[k]!;
    activity[i] = communityActivity(age, mixing);
  }
  const degreeSum = present.reduce((a, l) => a + num(params, weightParam(l)) * meanDegree(population, l), 0);
  const d = Math.max(degreeSum, 1e-12);
  const layers: BranchingLayer[] = present.map((l) => {
    const net = population.networks![l]!;
    const base = { scale: num(params, weightParam(l)) / d, community: l === 'community', household: l === 'household' };
    return net.kind === 'hashed' ? { ...base, degree: net.degree } : { ...base, rowPtr: net.rowPtr, colIdx: net.colIdx, ...(net.weights ? { weights: net.weights } : {}) };
  });
  const latent = latentShape({ latentDays: num(params, 'latentDays'), latentSd: num(params, 'latentSd') });
  const infectious = infectiousShape({ infectiousDays: num(params, 'infectiousDays'), infectiousSd: num(params, 'infectiousSd') });
  return {
    count: n,
    layers,
    susceptibility,
    pSymptomatic,
    activity,
    asymptomaticInfectiousness: num(params, 'asymptomaticInfectiousness'),
    latent,
    infectious,
    stageWeights: stageWeights(infectious, num(params, 'infectiousnessDecay')),
  };
}

/** kappa: mean over agents of susceptibility * (P(symptomatic) + a * P(asymptomatic)). */
export function meanInfectiousness(input: Pick<BranchingInput, 'count' | 'susceptibility' | 'pSymptomatic' | 'asymptomaticInfectiousness'>): number {
  let total = 0;
  for (let i = 0; i < input.count; i++) total += input.susceptibility[i]! * (input.pSymptomatic[i]! + input.asymptomaticInfectiousness * (1 - input.pSymptomatic[i]!));
  return total / Math.max(1, input.count);
}

/** The transmission rate beta of an R_mix value (as disease.ts computes it). */
export const betaOf = (input: BranchingInput, rMix: number, infectiousDays: number): number => rMix / (infectiousDays * Math.max(meanInfectiousness(input), 1e-12));

/** Branching-run settings for a population of `count` agents: one seed per 2,000 agents (at most 500), so that a run infects about 1% of them, and 4,000 generation-2 cases. */
export const runSettings = (count: number, seed: number, minCases = 4000) => ({ seeds: Math.max(1, Math.min(500, Math.floor(count / 2000))), minCases, maxRuns: 1000, seed });

const cache = new WeakMap<PopulationData, Map<string, readonly number[]>>();

/** The parameters the curve depends on (its cache key). */
export const CURVE_PARAMS = ['latentDays', 'latentSd', 'infectiousDays', 'infectiousSd', 'infectiousnessDecay', 'asymptomaticInfectiousness', 'communityAgeMixing', ...LAYERS.map(weightParam)];

/**
 * The curve [0, 0, R_real_1, R_mix_1, ...] of a population under these parameters (identity
 * pairs without contact layers), measured once per population object and parameter values.
 */
export function reproductionCurve(population: PopulationData | undefined, params: Params): number[] {
  const identity = () => [0, 0, ...CALIBRATION_GRID.flatMap((x) => [x, x])];
  if (!population) return identity();
  const key = CURVE_PARAMS.map((p) => num(params, p)).join(',');
  const known = cache.get(population)?.get(key);
  if (known) return [...known];
  const input = branchingInput(population, params);
  if (!input) return identity();
  const curve = [0, 0];
  let previous = 0;
  CALIBRATION_GRID.forEach((x, k) => {
    const measured = runBranching(input, betaOf(input, x, num(params, 'infectiousDays')), runSettings(input.count, 7919 + k)).reproduction;
    // noise must not make the curve decrease (it is inverted)
    previous = Math.max(measured, previous + 1e-6);
    curve.push(previous, x);
  });
  if (!cache.has(population)) cache.set(population, new Map());
  cache.get(population)!.set(key, curve);
  return curve;
}

/**
 * The environment value holding the curve, measured at initialisation, followed by one number: the
 * token under which curve-sensitivity.ts finds the population and parameters it was measured for.
 */
export const reproductionCurveSpec: EnvironmentSpec = {
  dtype: 'float32',
  shape: [CURVE_LENGTH + 1],
  description: 'realised early reproduction number against the homogeneous-mixing one, as pairs (R_real, R_mix), measured on the population (reproduction.ts), then the curve source token (curve-sensitivity.ts)',
  init: (ctx: InitContext) => [...reproductionCurve(ctx.population, ctx.params), registerCurveSource(ctx.population, ctx.params)],
};

/** The segment of the inverted curve holding `value`: R_mix = intercept + slope * R there. */
export function curveSegment(value: number, curve: ArrayLike<number>): { intercept: number; slope: number } {
  const points = Math.floor(curve.length / 2);
  let k = 1;
  while (k < points - 1 && curve[2 * k]! < value) k++;
  const [r0, x0, r1, x1] = [curve[2 * k - 2]!, curve[2 * k - 1]!, curve[2 * k]!, curve[2 * k + 1]!];
  // past the last point: the last ratio
  const slope = value > r1 ? x1 / r1 : (x1 - x0) / Math.max(r1 - r0, 1e-12);
  return { intercept: value > r1 ? 0 : x0 - slope * r0, slope };
}

/**
 * R_mix for the week's R (a scalar tensor), differentiable in R: the curve's segment containing R,
 * applied as b + s * R. (The curve's own dependence on the parameters: curve-sensitivity.ts.)
 */
export function mixingReproduction(r: tf.Tensor, curve: ArrayLike<number>): tf.Tensor {
  const { intercept, slope } = curveSegment(r.dataSync()[0]!, curve);
  return tf.add(intercept, tf.mul(slope, r));
}
