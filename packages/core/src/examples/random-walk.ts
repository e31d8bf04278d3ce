/**
 * `example/random-walk`: agents take Gaussian steps of size `speed` plus a
 * `drift`. Fully differentiable: d(meanAbsX)/d(speed) = meanAbsX / speed when drift = 0.
 */
import { meanOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';

const X = 'agents/walkers/x';

const walk = defineSubstep({
  name: 'walk',
  reads: [X],
  writes: [X],
  transition: (ctx) => {
    // Box-Muller on two counter-based uniform streams.
    const u1 = ctx.random.uniform('walkers', 'u1');
    const u2 = ctx.random.uniform('walkers', 'u2');
    const normal = tf.mul(tf.sqrt(tf.mul(-2, tf.log(u1))), tf.cos(tf.mul(2 * Math.PI, u2)));
    return { [X]: tf.add(ctx.get(X), tf.add(tf.mul(ctx.param('speed'), normal), ctx.param('drift'))) };
  },
});

export const randomWalk = defineModel({
  id: 'random-walk',
  description: 'agents on a line taking Gaussian steps with a drift (no population needed)',
  state: { agents: { walkers: { x: { dtype: 'float32', init: 0, description: 'position' } } } },
  parameters: {
    speed: { default: 1, bounds: [0, 100], learnable: true, description: 'standard deviation of a step' },
    drift: { default: 0, bounds: [-10, 10], learnable: true, description: 'mean of a step' },
  },
  substeps: [walk],
  metrics: {
    meanX: meanOf(X, 'mean position'),
    meanAbsX: { description: 'mean distance from the origin', reads: [X], compute: (ctx) => tf.mean(tf.abs(ctx.get(X))) },
  },
  defaultAgents: 10_000,
});
