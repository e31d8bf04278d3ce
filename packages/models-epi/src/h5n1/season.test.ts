import { tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { H5N1_PARAMETERS } from './parameters.js';
import { circularDistance, dayOfYear, DAYS_PER_YEAR, seasonalPressure, seasonalPressureTensor, type SeasonShape } from './season.js';

const defaults: SeasonShape = {
  springPeakDay: H5N1_PARAMETERS.springPeakDay.default,
  fallPeakDay: H5N1_PARAMETERS.fallPeakDay.default,
  seasonWidth: H5N1_PARAMETERS.seasonWidth.default,
  springAmplitude: H5N1_PARAMETERS.springAmplitude.default,
  fallAmplitude: H5N1_PARAMETERS.fallAmplitude.default,
  offSeason: H5N1_PARAMETERS.offSeason.default,
};
const days = Array.from({ length: DAYS_PER_YEAR }, (_, d) => d);
const share = (from: number, to: number) => days.filter((d) => d >= from && d < to).reduce((s, d) => s + seasonalPressure(d, defaults), 0) / days.reduce((s, d) => s + seasonalPressure(d, defaults), 0);
// 0-based days of the year: 1 Mar = 59, 1 Jun = 151, 1 Sep = 243, 1 Oct = 273
const [MAR, JUN, SEP, OCT] = [59, 151, 243, 273];

describe('seasonal migration pressure', () => {
  it('wraps around the year', () => {
    expect(circularDistance(364, 0)).toBe(1);
    expect(circularDistance(10, 10 + 3 * DAYS_PER_YEAR)).toBe(0);
    expect(dayOfYear(304, 100)).toBe(39);
    expect(seasonalPressure(400, defaults)).toBeCloseTo(seasonalPressure(35, defaults), 12);
  });

  it('peaks in spring and fall and is low in summer (the data file\'s migration seasons)', () => {
    const peak = (from: number, to: number) => days.filter((d) => d >= from && d < to).reduce((best, d) => (seasonalPressure(d, defaults) > seasonalPressure(best, defaults) ? d : best), from);
    expect(peak(0, 182)).toBe(defaults.springPeakDay); // mid-April, inside Mar-May
    expect(peak(182, 365)).toBe(defaults.fallPeakDay); // mid-November, inside Oct-Dec
    // spring (Mar-May) and fall (Oct-Dec) carry most of the year's pressure; summer (Jun-Aug) little
    expect(share(MAR, JUN) + share(OCT, DAYS_PER_YEAR)).toBeGreaterThan(0.8);
    expect(share(JUN, SEP)).toBeLessThan(0.07);
    expect(seasonalPressure(196, defaults)).toBeLessThan(0.06); // mid-July: the off-season level
  });

  it('the tensor form equals the reference on every day, also past the year end, and is differentiable in the amplitudes', () => {
    const shape = Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, tf.scalar(v)])) as unknown as Parameters<typeof seasonalPressureTensor>[1];
    for (const d of [...days, 400, 700]) expect(seasonalPressureTensor(d, shape).dataSync()[0]).toBeCloseTo(seasonalPressure(d, defaults), 5);
    const grad = tf.grad((a: tf.Tensor) => seasonalPressureTensor(tf.scalar(90), { ...shape, springAmplitude: a }))(tf.scalar(1));
    // d pressure / d springAmplitude = the spring bump on that day
    expect(grad.dataSync()[0]).toBeCloseTo(Math.exp(-((104 - 90) ** 2) / (2 * 30 ** 2)), 5);
    tf.dispose([...Object.values(shape), grad]);
  });
});
