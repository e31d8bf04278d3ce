/**
 * `supplychain/labor`: a city's labour market during an epidemic, one step per
 * day. People with a job (the population's `employed`) decide each week
 * whether they are willing to work (the `work` behaviour slot: an LLM
 * archetype, or the model's own logistic default of local prevalence); the
 * ill and the isolating (the `infected` and `isolated` inputs: data, or
 * epi/covid's metrics in a composed run) stay home; a stay-at-home order (the
 * `stayAtHome` input, NY PAUSE by default) stops the closed share of each
 * industry's jobs, whose holders lose them at `layoffRate`; the jobless are
 * hired back as industries reopen. Each state is a per-person probability
 * (expected values, no sampling), so every metric is differentiable in the
 * parameters and across links.
 */
import { defineModel, defineSubstep, sumAll, tf, type BehaviorSlot, type InitContext } from '@populace/core';
import { INDUSTRY_CLOSURE, LABOR_FACTS, stayAtHomeSeries } from './labor-data.js';
import { breakdownMetrics, LABOR_PATHS as P, laborForce } from './labor-metrics.js';
import { LABOR_PARAMETERS } from './labor-parameters.js';

/** The context the `work` behaviour is asked with, once a week. */
export const WORK_CONTEXT = Object.freeze({
  day: 'day of the simulation (0 first)',
  week: 'week of the simulation (1 first)',
  infectedPer100k: 'people infected per 100,000 in the city today, rounded',
  isolatedPer100k: 'people isolating at home per 100,000 in the city today, rounded',
  stayAtHome: 'share of a full stay-at-home order in force (0 none, 1 all non-essential businesses closed)',
});

/** The `work` behaviour slot of `supplychain/labor`. */
export const WORK_SLOT: BehaviorSlot = Object.freeze({
  agentType: 'people',
  description: 'probability that a healthy person with a job is willing to go to work this week (replaces the willingBase/fearPerThousand logistic when filled)',
  range: [0, 1] as const,
  context: WORK_CONTEXT,
});

/** Closed share of a full stay-at-home order for industry codes 1..13; without the attribute, the mean of the industries (an assumption). */
function initClosed(ctx: InitContext): Float32Array {
  const codes = ctx.attributes.industry;
  const mean = INDUSTRY_CLOSURE.reduce((a, b) => a + b.closed, 0) / INDUSTRY_CLOSURE.length;
  return Float32Array.from({ length: ctx.count }, (_, i) => (codes ? (INDUSTRY_CLOSURE[Number(codes[i]) - 1]?.closed ?? 0) : mean));
}

/** Share of the population ill or isolating today (clipped to [0, 1]). */
const absentShare = (input: (n: string) => tf.Tensor, param: (n: string) => tf.Tensor, count: number): tf.Tensor =>
  tf.clipByValue(tf.div(tf.add(tf.mul(param('sickAbsence'), input('infected')), input('isolated')), count), 0, 1);

const decide = defineSubstep({
  name: 'decide',
  description: 'on the first day of each week: willingness to work from the work behaviour, or the logistic of willingBase and fearPerThousand x infected per 1,000',
  reads: [P.willing],
  writes: [P.willing],
  // expected values, smooth in the parameters: the stochastic derivative carries them along its replays
  continuous: [P.willing],
  act: (ctx) => {
    const behavior = ctx.behavior('work');
    if (!behavior || ctx.step % 7 !== 0) return undefined;
    const n = ctx.count('people');
    const value = (name: string): number => tf.tidy(() => ctx.input(name).dataSync()[0]!);
    const per100k = (name: string) => Math.round((value(name) / n) * 100_000);
    return behavior.sample({ day: ctx.step, week: ctx.step / 7 + 1, infectedPer100k: per100k('infected'), isolatedPer100k: per100k('isolated'), stayAtHome: value('stayAtHome') });
  },
  transition: (ctx, _observation, fromBehavior: tf.Tensor | undefined) => {
    if (ctx.step % 7 !== 0) return {};
    if (fromBehavior) return { [P.willing]: tf.clone(fromBehavior) };
    const perThousand = tf.mul(tf.div(ctx.input('infected'), ctx.count('people')), 1000);
    const base = ctx.param('willingBase');
    const logOdds = tf.sub(tf.log(tf.div(base, tf.sub(1, base))), tf.mul(ctx.param('fearPerThousand'), perThousand));
    return { [P.willing]: tf.mul(tf.sigmoid(logOdds), tf.onesLike(ctx.get(P.willing))) };
  },
});

const work = defineSubstep({
  name: 'work',
  description: 'jobs stopped by the order are lost at layoffRate, those less willing than willingBase quit at quitRate x (1 - willing / willingBase), the jobless are hired back at rehireRate as industries reopen; people with a job, willing, not ill or isolating and not closed go to work',
  reads: [P.worker, P.closed, P.job, P.willing],
  writes: [P.job, P.atWork, P.lost],
  continuous: [P.job, P.atWork, P.lost],
  transition: (ctx) => {
    const order = tf.mul(ctx.input('stayAtHome'), ctx.get(P.closed));
    const job = ctx.get(P.job);
    const willing = ctx.get(P.willing);
    const hazard = tf.minimum(tf.add(tf.mul(ctx.param('layoffRate'), order), tf.mul(ctx.param('quitRate'), tf.relu(tf.sub(1, tf.div(willing, ctx.param('willingBase')))))), 1);
    const lost = tf.mul(job, hazard);
    const open = tf.sub(1, order);
    const hired = tf.mul(tf.mul(ctx.param('rehireRate'), tf.sub(ctx.get(P.worker), job)), tf.mul(open, willing));
    const next = tf.add(tf.sub(job, lost), hired);
    const well = tf.sub(1, absentShare(ctx.input, ctx.param, ctx.count('people')));
    return { [P.job]: next, [P.lost]: lost, [P.atWork]: tf.mul(tf.mul(next, willing), tf.mul(open, well)) };
  },
});

/** People of the default population when none is given (`--agents` overrides). */
export const DEFAULT_LABOR_AGENTS = 20_000;

/**
 * The `supplychain/labor` model: runs on `nyc` (people with `employed`, `industry` and `area`) or,
 * without a population, on 20,000 people who all hold a job at the mean closed share. Its default
 * `stayAtHome` input is NY PAUSE from 1 March 2020 (122 days); `infected` and `isolated` default to
 * 0 (no epidemic) until data or epi/covid feed them.
 *
 * @example
 * ```ts
 * const sim = runtime.createSimulation({ model: 'supplychain/labor', population: 'nyc', agents: 20_000, seed: 1 });
 * const { metrics } = await sim.run({ steps: 60 });
 * metrics.unemploymentRate; // share of the labour force, day by day from 1 March 2020
 * ```
 */
export const labor = defineModel({
  id: 'labor',
  description: 'city labour market in an epidemic (one step = one day): weekly willingness to work (work behaviour slot), absence of the ill and isolating, layoffs in the industries a stay-at-home order closes, rehiring as they reopen; unemployment and claims by borough and industry',
  state: {
    agents: {
      people: {
        description: 'residents; those employed at step 0 are the workers',
        worker: { dtype: 'float32', init: { attribute: 'employed', fallback: 1 }, description: 'employed at step 0 (1) or not (0)' },
        industry: { dtype: 'int32', init: { attribute: 'industry', fallback: 0 }, description: "industry code of the population's industry attribute (0: not employed or unknown)" },
        area: { dtype: 'int32', init: { attribute: 'area', fallback: -1 }, description: 'area (borough) code of residence (-1: unknown)' },
        closed: { dtype: 'float32', init: initClosed, description: "share of the industry's jobs a full stay-at-home order stops (INDUSTRY_CLOSURE)" },
        job: { dtype: 'float32', init: { attribute: 'employed', fallback: 1 }, description: 'probability of holding a job' },
        willing: { dtype: 'float32', init: 1, description: "this week's willingness to work" },
        atWork: { dtype: 'float32', init: { attribute: 'employed', fallback: 1 }, description: 'probability of being at work today' },
        lost: { dtype: 'float32', init: 0, description: 'probability of having lost the job today' },
      },
    },
  },
  needs: {
    attributes: {
      people: {
        employed: { description: 'employed or not (0/1)', fallback: 'everyone holds a job' },
        industry: { description: 'industry of the employed (code 0: not employed; 1-13 as in the nyc population)', fallback: 'every job has the mean closed share' },
        area: { description: 'borough of residence (nyc codes 0-4)', fallback: 'the by-borough metrics stay 0' },
      },
    },
  },
  inputs: {
    stayAtHome: { description: `share of a full stay-at-home order in force (default: NY PAUSE from ${LABOR_FACTS.pauseStart.value}, phases one and two of the NYC reopening; day 0 = 1 March 2020, 122 days; see stayAtHomeSeries)`, unit: 'share', default: Object.freeze(stayAtHomeSeries()) },
    infected: { description: "people infected today, in a population of this model's size (epi/covid's I in a composed run; scale the link when the epidemic runs on another number of agents)", unit: 'people', default: 0 },
    isolated: { description: "people isolating at home today, in a population of this model's size (epi/covid's isolated)", unit: 'people', default: 0 },
  },
  behaviors: { work: WORK_SLOT },
  parameters: LABOR_PARAMETERS,
  substeps: [decide, work],
  metrics: {
    employed: { description: 'people holding a job', unit: 'people', reads: [P.job], compute: (ctx) => sumAll(ctx.get(P.job)) },
    unemploymentRate: {
      description: 'unemployed over the labour force (employed at step 0 over 1 - baseUnemployment)', unit: 'share', reads: [P.worker, P.job],
      compute: (ctx) => { const force = laborForce(ctx, tf.onesLike(ctx.get(P.worker))); return tf.div(tf.sub(force, sumAll(ctx.get(P.job))), force); },
    },
    newClaims: { description: 'initial unemployment claims filed that day (claimShare per job lost)', unit: 'claims/day', reads: [P.lost], compute: (ctx) => tf.mul(ctx.param('claimShare'), sumAll(ctx.get(P.lost))) },
    atWork: { description: 'people at work today', unit: 'people', reads: [P.atWork], compute: (ctx) => sumAll(ctx.get(P.atWork)) },
    workMobility: { description: 'people at work today over the workers at step 0 (what a work contact layer would scale by)', unit: 'share', reads: [P.atWork, P.worker], compute: (ctx) => tf.div(sumAll(ctx.get(P.atWork)), tf.maximum(sumAll(ctx.get(P.worker)), 1)) },
    willingness: { description: "mean willingness to work of the workers (this week's decision)", unit: 'share', reads: [P.willing, P.worker], compute: (ctx) => tf.div(sumAll(tf.mul(ctx.get(P.willing), ctx.get(P.worker))), tf.maximum(sumAll(ctx.get(P.worker)), 1)) },
    ...breakdownMetrics(),
  },
  defaultAgents: DEFAULT_LABOR_AGENTS,
});
