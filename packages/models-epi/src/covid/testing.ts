/**
 * Testing: each day up to `testsPerDay` tests go to eligible people (alive,
 * not in hospital, never tested positive), a symptomatic person
 * `symptomaticTestWeight` times as likely as anyone else:
 *
 *   P(tested_i) = min(1, testsPerDay * w_i / sum_j w_j),  w_i = eligible_i * (1 + (weight - 1) * Is_i)
 *
 * An infectious person (Ia or Is) tests positive with probability testSensitivity, anyone else
 * with testFalsePositiveRate. A positive result arrives `testTurnaround` days later (0: the same
 * day, before transmission), when the isolation substep acts on it; negative results change
 * nothing (the person may be tested again).
 */
import { defineSubstep, linearCombine, tf } from '@populace/core';
import { detached } from '../detached.js';
import { paramNumber } from '../param-value.js';
import { H, HF, IA, IS, M, PENDING_RESULTS, RESULT_DAY, TESTS_USED } from './paths.js';

/** Tests for the day; positives are scheduled to arrive after the turnaround. */
export const testing = defineSubstep({
  name: 'testing',
  description: 'tests allocated to eligible people (symptomatic first), positives scheduled after the turnaround',
  reads: [IA, IS, H, HF, M, RESULT_DAY, PENDING_RESULTS],
  writes: [RESULT_DAY, TESTS_USED, PENDING_RESULTS],
  transition: (ctx) => {
    const capacity = paramNumber(ctx, 'testsPerDay');
    if (capacity <= 0) return { [TESTS_USED]: tf.scalar(0) };
    const [ia, is, resultDay] = [ctx.get(IA), ctx.get(IS), ctx.get(RESULT_DAY)];
    const inCommunity = tf.sub(1, tf.addN([ctx.get(H), ctx.get(HF), ctx.get(M)]));
    const eligible = tf.mul(detached(resultDay, (d) => tf.cast(tf.less(d, 0), 'float32')), inCommunity);
    const [weight] = linearCombine([eligible, tf.mul(eligible, is)], [[1, paramNumber(ctx, 'symptomaticTestWeight') - 1]]);
    const total = tf.sum(weight!);
    const pTest = tf.minimum(tf.mul(weight!, tf.div(capacity, tf.maximum(total, 1e-12))), 1);
    const tested = ctx.sample.bernoulli(pTest, { stream: 'test' });
    const sensitivity = paramNumber(ctx, 'testSensitivity');
    const falsePositive = paramNumber(ctx, 'testFalsePositiveRate');
    const [pPositive] = linearCombine([tested, tf.mul(tested, tf.add(ia, is))], [[falsePositive, sensitivity - falsePositive]]);
    const positive = ctx.sample.bernoulli(pPositive!, { mask: tested, stream: 'result' });
    // resultDay is -1 for everyone tested today, so -1 + (day + turnaround + 1) = the arrival day
    const arrival = ctx.step + paramNumber(ctx, 'testTurnaround') + 1;
    const [nextResultDay] = linearCombine([resultDay, positive], [[1, arrival]]);
    return {
      [RESULT_DAY]: nextResultDay!,
      [TESTS_USED]: tf.sum(tested),
      [PENDING_RESULTS]: tf.add(ctx.get(PENDING_RESULTS), tf.sum(positive)),
    };
  },
});
