/**
 * The `farms` substep: one day of a layer farm. Susceptible farms are
 * infected by wild birds (hazard from their flyway's migration pressure) or
 * by infected contact farms; infected farms are detected `detectionDelay` days
 * after infection and culled `cullingDelay` days after that (every bird of the
 * flock); culled farms get their first new birds `restockStartDays` days later
 * and refill linearly until they hold a full flock `restockDays` after culling.
 * A farm's susceptibility grows with its flock size (`flockSizeExponent`).
 */
import { applyFlows, defineSubstep, tf } from '@populace/core';
import { FLYWAYS } from './flocks.js';
import { H5N1_PATHS as P } from './paths.js';
import { MEAN_FARM_CONTACTS } from './population.js';
import { zeroWithGradient } from './surrogate.js';

/**
 * Infected contact farms per farm without a `farm-contacts` network: each farm meets the other
 * farms of its flyway homogeneously, `MEAN_FARM_CONTACTS` contacts on average (the mean degree of
 * us-layer-farms). `flyways` is the one-hot [N, 4] flyway matrix.
 */
function withinFlywayContacts(flyways: tf.Tensor2D, infectious: tf.Tensor): tf.Tensor {
  const column = tf.reshape(infectious, [-1, 1]);
  const infectiousPerFlyway = tf.matMul(flyways, tf.matMul(flyways, column, true, false));
  const farmsPerFlyway = tf.matMul(flyways, tf.reshape(tf.sum(flyways, 0), [-1, 1]));
  const others = tf.maximum(tf.sub(farmsPerFlyway, 1), 1);
  return tf.reshape(tf.mul(MEAN_FARM_CONTACTS, tf.div(tf.sub(infectiousPerFlyway, column), others)), [-1]);
}

// The day counters are bookkeeping, not differentiable quantities: they are built from ops whose
// gradient is zero (step, round), because tfjs has no gradient for comparisons (Greater, ...) and
// the reverse pass walks through them when they depend on the sampled indicators.

/** 1 where `days` (an int32 day counter) has reached `threshold` (a whole-number scalar tensor), else 0. */
const reached = (days: tf.Tensor, threshold: tf.Tensor) => tf.step(tf.add(tf.sub(tf.cast(days, 'float32'), threshold), 0.5));

/** An exact 0/1 float indicator as int32. */
const asInt = (indicator: tf.Tensor) => tf.cast(tf.round(indicator), 'int32');

/**
 * The surrogate route of a fixed delay: 0 in value; in the reverse pass, a perturbation of the
 * indicator `x` on farms where it is 0 (farms not in that state in the sampled run, which have no
 * timer) leaves the state at the mean rate 1 / `delay` per day, as it would with a geometric delay
 * of the same mean. Without it such a perturbation would stay infected forever in the
 * linearised dynamics and the surrogate gradient would grow without bound over long runs. Farms
 * in the state follow their timers exactly.
 */
const leave = (x: tf.Tensor, delay: tf.Tensor) => zeroWithGradient(x, tf.div(tf.sub(1, x), delay));

/** An int32 day counter: `days + 1` where `on` is 1, else 0. */
const tick = (days: tf.Tensor, on: tf.Tensor) => tf.mul(tf.add(days, tf.scalar(1, 'int32')), asInt(on));

/**
 * Relative susceptibility of each farm: `flockSize^exponent` normalised to mean 1 over the farms
 * (so 0 gives every farm 1, and the rates keep their per-average-farm meaning). Differentiable in
 * the exponent: flock sizes are positive.
 */
export function sizeSusceptibility(flockSize: tf.Tensor, exponent: tf.Tensor): tf.Tensor {
  const relative = tf.div(flockSize, tf.maximum(tf.mean(flockSize), 1));
  const raw = tf.pow(tf.maximum(relative, 1e-9), exponent);
  return tf.div(raw, tf.mean(raw));
}

/**
 * The share of its full flock a farm holds, from its `daysSinceCull` counter (no gradient: built
 * from int32 counters): 1 when the counter is 0 (never culled, or refilled), 0 while empty, and
 * `(days - start + 1) / (restockDays - start)` while refilling, capped at 1. `start` is
 * min(restockStartDays, restockDays).
 */
export function stockShare(days: tf.Tensor, culled: tf.Tensor, start: tf.Tensor, restockDays: tf.Tensor): tf.Tensor {
  const d = tf.cast(days, 'float32');
  const counting = tf.step(tf.sub(d, 0.5));
  const ramp = tf.clipByValue(tf.div(tf.add(tf.sub(d, start), 1), tf.maximum(tf.sub(restockDays, start), 1)), 0, 1);
  const present = tf.add(tf.sub(1, counting), tf.mul(counting, ramp));
  return tf.mul(present, tf.sub(1, tf.round(culled)));
}

/**
 * Farm states are float32 indicators (susceptible, infected, detected, culled; one is 1 per farm),
 * with int32 day counters `daysInfected` (since infection, while infected or detected) and
 * `daysSinceCull` (since culling, while empty or refilling) and the float `stock` (share of the full
 * flock present). Infection draws use the fused hazard kernel with its surrogate
 * gradient, so outputs are differentiable in the transmission parameters.
 *
 * @example
 * ```ts
 * defineModel({ ..., substeps: [migration, humanDay, farmDay] });
 * ```
 */
export const farmDay = defineSubstep({
  name: 'farms',
  description: 'wild-bird introduction, farm-to-farm spread, detection, culling and restocking',
  reads: [P.farmSusceptible, P.farmInfected, P.farmDetected, P.farmCulled, P.flockSize, P.stock, P.flyway, P.daysInfected, P.daysSinceCull, P.migrationPressure, P.cumulativeBirdsCulled, 'networks/farm-contacts'],
  writes: [
    P.farmSusceptible, P.farmInfected, P.farmDetected, P.farmCulled, P.stock, P.daysInfected, P.daysSinceCull,
    P.newInfectedFarms, P.wildBirdIntroductions, P.farmToFarmInfections, P.detectedFarms, P.culledFarms, P.birdsCulled, P.cumulativeBirdsCulled, P.flocksRestocked,
  ],
  transition: (ctx) => {
    const [s, i, d, c] = [ctx.get(P.farmSusceptible), ctx.get(P.farmInfected), ctx.get(P.farmDetected), ctx.get(P.farmCulled)];
    const flyways = tf.cast(tf.oneHot(ctx.get(P.flyway), FLYWAYS.length), 'float32') as tf.Tensor2D;

    const flockSize = ctx.get(P.flockSize);
    const susceptibility = sizeSusceptibility(flockSize, ctx.param('flockSizeExponent'));
    // introductions: hazard wildBirdRate x the pressure of the farm's flyway x its size susceptibility
    const wildExposure = tf.mul(tf.reshape(tf.matMul(flyways, tf.reshape(ctx.get(P.migrationPressure), [-1, 1])), [-1]), susceptibility);
    const intro = ctx.sample.hazard(ctx.param('wildBirdRate'), wildExposure, { mask: s, stream: 'wild-birds' });
    // farm-to-farm: hazard farmToFarmRate x infected contacts (infected birds until culled) x size susceptibility
    const infectious = tf.add(i, d);
    const contacts = ctx.network('farm-contacts') ? ctx.messagePass('farm-contacts', infectious) : withinFlywayContacts(flyways, infectious);
    const spread = ctx.sample.hazard(ctx.param('farmToFarmRate'), tf.mul(contacts, susceptibility), { mask: tf.sub(s, intro), stream: 'farm-to-farm' });

    // detection and culling after fixed delays, counted from the day of infection
    const daysInfected = tick(ctx.get(P.daysInfected), infectious);
    const [detectionDelay, cullingDelay, restockDays] = [ctx.param('detectionDelay'), ctx.param('cullingDelay'), ctx.param('restockDays')];
    const restockStart = tf.minimum(ctx.param('restockStartDays'), restockDays);
    const detect = tf.add(tf.mul(i, reached(daysInfected, detectionDelay)), leave(i, detectionDelay));
    const cull = tf.add(tf.mul(tf.add(d, detect), reached(daysInfected, tf.add(detectionDelay, cullingDelay))), leave(d, tf.maximum(cullingDelay, 1)));
    // restocking: the first birds restockStart days after culling (the farm is susceptible again),
    // a full flock restockDays after culling; the counter runs while empty or refilling
    const sinceCull = ctx.get(P.daysSinceCull);
    const daysSinceCull = tick(sinceCull, tf.add(c, tf.mul(tf.sub(1, c), tf.step(tf.sub(tf.cast(sinceCull, 'float32'), 0.5)))));
    const restock = tf.add(tf.mul(c, reached(daysSinceCull, restockStart)), leave(c, tf.maximum(restockStart, 1)));

    const next = applyFlows({ s, i, d, c }, [['s', 'i', intro], ['s', 'i', spread], ['i', 'd', detect], ['d', 'c', cull], ['c', 's', restock]]);
    // the birds a culled farm held: its flock times the share restocked so far
    const birdsCulled = tf.sum(tf.mul(cull, tf.mul(flockSize, ctx.get(P.stock))));
    // the counter restarts on culling and stops once the flock is full again
    const refilling = tf.mul(tf.sub(1, tf.round(next.c)), tf.sub(1, reached(daysSinceCull, restockDays)));
    const nextSinceCull = tf.mul(tf.mul(daysSinceCull, asInt(tf.sub(1, cull))), asInt(tf.add(tf.round(next.c), refilling)));
    return {
      [P.farmSusceptible]: next.s,
      [P.farmInfected]: next.i,
      [P.farmDetected]: next.d,
      [P.farmCulled]: next.c,
      [P.stock]: stockShare(nextSinceCull, next.c, restockStart, restockDays),
      [P.daysInfected]: tf.mul(daysInfected, asInt(tf.add(next.i, next.d))),
      [P.daysSinceCull]: nextSinceCull,
      [P.newInfectedFarms]: tf.sum(tf.add(intro, spread)),
      [P.wildBirdIntroductions]: tf.sum(intro),
      [P.farmToFarmInfections]: tf.sum(spread),
      [P.detectedFarms]: tf.sum(detect),
      [P.culledFarms]: tf.sum(cull),
      [P.birdsCulled]: birdsCulled,
      [P.cumulativeBirdsCulled]: tf.add(ctx.get(P.cumulativeBirdsCulled), birdsCulled),
      [P.flocksRestocked]: tf.sum(restock),
    };
  },
});
