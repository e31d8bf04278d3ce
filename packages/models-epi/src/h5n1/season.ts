/**
 * Seasonal wild-bird migration pressure: a low off-season level plus a spring
 * and a fall peak, each a Gaussian bump in circular day-of-year distance.
 * One function on numbers (the reference, for tests and tables) and one on
 * tensors (differentiable in the amplitudes and the off-season level).
 */
import { tf } from '@populace/core';

/** Days in the model's year (leap days are ignored). */
export const DAYS_PER_YEAR = 365;

/** The shape of the migration season. Days of the year count from 0 (1 January). */
export interface SeasonShape {
  readonly springPeakDay: number;
  readonly fallPeakDay: number;
  /** Standard deviation of each peak, in days. */
  readonly seasonWidth: number;
  readonly springAmplitude: number;
  readonly fallAmplitude: number;
  /** Pressure outside the migration seasons. */
  readonly offSeason: number;
}

/** Day of the year (0 = 1 January) of simulation step `step` when step 0 falls on `startDay`. */
export function dayOfYear(startDay: number, step: number): number {
  return (((startDay + step) % DAYS_PER_YEAR) + DAYS_PER_YEAR) % DAYS_PER_YEAR;
}

/** Distance in days between two days of the year, around the year's end (0 .. 182.5). */
export function circularDistance(a: number, b: number): number {
  const x = Math.abs(a - b) % DAYS_PER_YEAR;
  return Math.min(x, DAYS_PER_YEAR - x);
}

/**
 * The migration pressure on day `day` of the year (plain numbers; the reference for the tensor form).
 *
 * @example
 * ```ts
 * seasonalPressure(104, { springPeakDay: 104, fallPeakDay: 318, seasonWidth: 30, springAmplitude: 1, fallAmplitude: 1, offSeason: 0.05 }); // ~1.05
 * ```
 */
export function seasonalPressure(day: number, shape: SeasonShape): number {
  const bump = (peak: number) => Math.exp(-(circularDistance(day, peak) ** 2) / (2 * shape.seasonWidth ** 2));
  return shape.offSeason + shape.springAmplitude * bump(shape.springPeakDay) + shape.fallAmplitude * bump(shape.fallPeakDay);
}

/**
 * The same pressure from parameter tensors (scalars), differentiable in the amplitudes and the
 * off-season level. `day` may run past the year's end (e.g. start day + step): distances wrap.
 */
export function seasonalPressureTensor(day: tf.Tensor | number, shape: { readonly [K in keyof SeasonShape]: tf.Tensor }): tf.Tensor {
  return tf.tidy(() => {
    const twoVar = tf.mul(2, tf.square(shape.seasonWidth));
    const bump = (peak: tf.Tensor) => {
      const x = tf.mod(tf.abs(tf.sub(day, peak)), DAYS_PER_YEAR);
      const d = tf.minimum(x, tf.sub(DAYS_PER_YEAR, x));
      return tf.exp(tf.neg(tf.div(tf.square(d), twoVar)));
    };
    return tf.addN([shape.offSeason, tf.mul(shape.springAmplitude, bump(shape.springPeakDay)), tf.mul(shape.fallAmplitude, bump(shape.fallPeakDay))]);
  });
}
