/**
 * Isolation: a person whose positive result arrives today isolates with
 * probability `isolationCompliance`, for `isolationDays` days from today;
 * while isolating, only a fraction of their transmission remains, both ways
 * (householdIsolationFactor at home, otherIsolationFactor elsewhere; see
 * exposure.ts). False positives isolate too: that is the cost of a test with
 * a poor specificity.
 *
 * The decision can come from outside the model: when the simulation fills the
 * `isolation` behaviour slot (an LLM archetype, say), each person's probability
 * of complying is that behaviour's value for them instead of the parameter.
 * The behaviour is asked only on days a result arrives, with the context of
 * `ISOLATION_CONTEXT`; it is data, so such a run cannot be differentiated.
 */
import { defineSubstep, linearCombine, sumAll, tf, type BehaviorSlot } from '@populace/core';
import { detached } from '../detached.js';
import { paramNumber } from '../param-value.js';
import { H, HF, ISOLATED, ISOLATED_AT_HOME, ISOLATED_NOW, ISOLATION_LEFT, M, PENDING_RESULTS, POSITIVES, POSITIVES_LAST_WEEK, POSITIVES_THIS_WEEK, RESULT_DAY } from './paths.js';

/** The context keys the isolation behaviour is asked with. */
export const ISOLATION_CONTEXT = {
  day: 'day of the simulation (0 first)',
  week: 'week of the simulation (1 first)',
  positivesPer100kLastWeek: 'positive test results per 100,000 people during the last complete week (0 in week 1), rounded',
  isolationDays: 'days an isolation lasts',
} as const;

/** The `isolation` behaviour slot of `epi/covid`. */
export const ISOLATION_SLOT: BehaviorSlot = {
  agentType: 'people',
  description: 'probability that a person told of a positive result isolates (replaces isolationCompliance when filled)',
  range: [0, 1],
  context: ISOLATION_CONTEXT,
};

const weekly = (ctx: { step: number; get: (p: typeof POSITIVES_THIS_WEEK) => tf.Tensor }, positives: tf.Tensor) => {
  const thisWeek = tf.add(ctx.get(POSITIVES_THIS_WEEK), positives);
  const endOfWeek = (ctx.step + 1) % 7 === 0;
  return endOfWeek ? { [POSITIVES_LAST_WEEK]: thisWeek, [POSITIVES_THIS_WEEK]: tf.scalar(0) } : { [POSITIVES_THIS_WEEK]: thisWeek };
};

/** Results that arrive today, compliance (from the parameter or the `isolation` behaviour), and the count-down of isolations. */
export const isolation = defineSubstep({
  name: 'isolation',
  description: 'positive results arriving today; those who comply isolate for isolationDays days',
  reads: [RESULT_DAY, ISOLATION_LEFT, H, HF, M, PENDING_RESULTS, ISOLATED_NOW, POSITIVES_THIS_WEEK, POSITIVES_LAST_WEEK],
  writes: [ISOLATION_LEFT, ISOLATED, POSITIVES, PENDING_RESULTS, ISOLATED_NOW, ISOLATED_AT_HOME, POSITIVES_THIS_WEEK, POSITIVES_LAST_WEEK],
  act: (ctx) => {
    const behavior = ctx.behavior('isolation');
    // ask only when a result can arrive today
    if (!behavior || ctx.get(PENDING_RESULTS).dataSync()[0]! <= 0) return undefined;
    const lastWeek = ctx.get(POSITIVES_LAST_WEEK).dataSync()[0]!;
    return behavior.sample({
      day: ctx.step,
      week: Math.floor(ctx.step / 7) + 1,
      positivesPer100kLastWeek: Math.round((lastWeek / ctx.count('people')) * 100_000),
      isolationDays: paramNumber(ctx, 'isolationDays'),
    });
  },
  transition: (ctx, _observation, compliance: tf.Tensor | undefined) => {
    const pending = ctx.get(PENDING_RESULTS);
    // nothing pending and nobody isolating: nothing to do
    if (pending.dataSync()[0]! <= 0 && ctx.get(ISOLATED_NOW).dataSync()[0]! <= 0) return { [POSITIVES]: tf.scalar(0), ...weekly(ctx, tf.scalar(0)) };
    const arrived = detached(ctx.get(RESULT_DAY), (d) => tf.cast(tf.equal(d, ctx.step), 'float32'));
    const comply = ctx.sample.bernoulli(compliance ?? paramNumber(ctx, 'isolationCompliance'), { mask: arrived, stream: 'comply' });
    const carried = tf.relu(tf.sub(ctx.get(ISOLATION_LEFT), 1));
    const [left] = linearCombine([carried, comply], [[1, paramNumber(ctx, 'isolationDays')]]);
    const isolated = tf.minimum(left!, 1);
    const away = tf.addN([ctx.get(H), ctx.get(HF), ctx.get(M)]);
    const positives = sumAll(arrived);
    const isolatedNow = sumAll(isolated);
    return {
      [ISOLATION_LEFT]: left!,
      [ISOLATED]: isolated,
      [POSITIVES]: positives,
      [PENDING_RESULTS]: tf.sub(pending, positives),
      [ISOLATED_NOW]: isolatedNow,
      [ISOLATED_AT_HOME]: tf.sub(isolatedNow, sumAll(tf.mul(isolated, away))),
      ...weekly(ctx, positives),
    };
  },
});
