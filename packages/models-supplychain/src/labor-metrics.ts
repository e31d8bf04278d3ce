/**
 * The state paths of `supplychain/labor` and its metrics by borough and by
 * industry (`employed_<name>`, `unemploymentRate_<name>`, `newClaims_<name>`),
 * named after the nyc population's area and industry labels by code.
 */
import { sumAll, tf, type MetricContext, type MetricSpec } from '@populace/core';
import { INDUSTRY_CLOSURE, NYC_AREAS } from './labor-data.js';

/** State paths of `supplychain/labor`. */
export const LABOR_PATHS = Object.freeze({
  worker: 'agents/people/worker',
  industry: 'agents/people/industry',
  area: 'agents/people/area',
  closed: 'agents/people/closed',
  job: 'agents/people/job',
  willing: 'agents/people/willing',
  atWork: 'agents/people/atWork',
  lost: 'agents/people/lost',
} as const);
const P = LABOR_PATHS;

/** The labour force of the people selected by `mask`: its workers over (1 - baseUnemployment). */
export function laborForce(ctx: Pick<MetricContext, 'get' | 'param'>, mask: tf.Tensor): tf.Tensor {
  return tf.div(sumAll(tf.mul(ctx.get(P.worker), mask)), tf.sub(1, ctx.param('baseUnemployment')));
}

function group(label: string, what: string, path: typeof P.area | typeof P.industry, code: number): Record<string, MetricSpec> {
  const mask = (ctx: MetricContext) => tf.cast(tf.equal(ctx.get(path), code), 'float32');
  return {
    [`employed_${label}`]: { description: `people holding a job, ${what}`, unit: 'people', reads: [P.job, path], compute: (ctx) => sumAll(tf.mul(ctx.get(P.job), mask(ctx))) },
    [`unemploymentRate_${label}`]: {
      description: `unemployed over the labour force, ${what} (0 where it has no workers)`, unit: 'share', reads: [P.worker, P.job, path],
      compute: (ctx) => {
        const m = mask(ctx);
        const force = laborForce(ctx, m);
        return tf.div(tf.sub(force, sumAll(tf.mul(ctx.get(P.job), m))), tf.maximum(force, 1e-9));
      },
    },
    [`newClaims_${label}`]: { description: `initial unemployment claims filed that day, ${what}`, unit: 'claims/day', reads: [P.lost, path], compute: (ctx) => tf.mul(ctx.param('claimShare'), sumAll(tf.mul(ctx.get(P.lost), mask(ctx)))) },
  };
}

/** The by-borough (nyc area codes 0-4) and by-industry (codes 1-13) metrics. */
export function breakdownMetrics(): Record<string, MetricSpec> {
  return Object.assign(
    {},
    ...NYC_AREAS.map((area, code) => group(area, `living in ${area}`, P.area, code)),
    ...INDUSTRY_CLOSURE.map(({ industry }, i) => group(industry, `working in ${industry}`, P.industry, i + 1)),
  ) as Record<string, MetricSpec>;
}
