/**
 * The hazard an agent has received so far, for infection as a first passage (disease.ts), with the
 * reverse pass of a daily draw.
 */
import { tf } from '@populace/core';

/**
 * exp(before) is capped at exp(30): an agent still susceptible past a received hazard of about 17
 * has a threshold above 1 - 4e-8, beyond every float32 uniform, so only agents already infected
 * (masked, whose incoming gradient is 0) get there, and uncapped exp(before) overflows past 88
 * (0 x Infinity = NaN).
 */
const MAX_SCALED = 30;

/**
 * The hazard received so far, `before + today`, for a threshold event on the hazard scale. Its
 * gradient reaches only `today`, scaled by exp(before), so that the event's straight-through
 * gradient, mask * exp(-received) per unit of received hazard, is mask * exp(-today) per unit of
 * today's: that of a daily draw 1[u < 1 - exp(-today)] (the probability of infection today given
 * none before). Forward, a plain sum.
 *
 * @example
 * ```ts
 * const received = receivedHazard(ctx.get(INFECTION_HAZARD), tf.mul(rate, exposure));
 * const infected = ctx.sample.threshold(received, { mask: susceptible, stream: 'infect', scale: 'hazard' });
 * ```
 */
export function receivedHazard(before: tf.Tensor, today: tf.Tensor): tf.Tensor {
  const shape = [...today.shape];
  // `before` is saved for the reverse pass (a captured tensor may be disposed by then)
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [b, h, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([b]);
    return {
      value: tf.add(b, h),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.zerosLike(saved[0]!), reduceTo(tf.mul(dy, tf.exp(tf.minimum(saved[0]!, MAX_SCALED))), shape)],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(before, today) as tf.Tensor;
}

/** `g` summed down to `shape` (a scalar input broadcast against per-agent values). */
const reduceTo = (g: tf.Tensor, shape: readonly number[]): tf.Tensor => (tf.util.arraysEqual(g.shape, [...shape]) ? g : tf.reshape(tf.sum(g), [...shape]));

