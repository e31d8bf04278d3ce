/**
 * Isolation: a person whose positive result arrives today isolates with
 * probability `isolationCompliance`, for `isolationDays` days from today;
 * while isolating, only a fraction of their transmission remains, both ways
 * (householdIsolationFactor at home, otherIsolationFactor elsewhere; see
 * exposure.ts). False positives isolate too: that is the cost of a test with
 * a poor specificity.
 */
import { defineSubstep, linearCombine, sumAll, tf } from '@populace/core';
import { detached } from '../detached.js';
import { paramNumber } from '../param-value.js';
import { H, HF, ISOLATED, ISOLATED_AT_HOME, ISOLATED_NOW, ISOLATION_LEFT, M, PENDING_RESULTS, POSITIVES, RESULT_DAY } from './paths.js';

/** Results that arrive today, compliance, and the count-down of isolations. */
export const isolation = defineSubstep({
  name: 'isolation',
  description: 'positive results arriving today; those who comply isolate for isolationDays days',
  reads: [RESULT_DAY, ISOLATION_LEFT, H, HF, M, PENDING_RESULTS, ISOLATED_NOW],
  writes: [ISOLATION_LEFT, ISOLATED, POSITIVES, PENDING_RESULTS, ISOLATED_NOW, ISOLATED_AT_HOME],
  transition: (ctx) => {
    const pending = ctx.get(PENDING_RESULTS);
    // nothing pending and nobody isolating: nothing to do
    if (pending.dataSync()[0]! <= 0 && ctx.get(ISOLATED_NOW).dataSync()[0]! <= 0) return { [POSITIVES]: tf.scalar(0) };
    const arrived = detached(ctx.get(RESULT_DAY), (d) => tf.cast(tf.equal(d, ctx.step), 'float32'));
    const comply = ctx.sample.bernoulli(paramNumber(ctx, 'isolationCompliance'), { mask: arrived, stream: 'comply' });
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
    };
  },
});
