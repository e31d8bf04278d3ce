/**
 * The reproduction curve's first-order term: zero at the values the curve was measured at, with
 * the gradient s_p there (on the tape, measured lazily), s_p (theta - theta0) away from them, and
 * s_p predicts the R_mix of a curve re-measured at other parameter values (a simulation built
 * there), within the curve's own noise.
 */
import { tf, type PopulationData } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { testPopulations } from '../populations.fixture.js';
import { registerCurveSource } from './curve-source.js';
import { curveShift, curveSlope, LEARNABLE_CURVE_PARAMS } from './curve-sensitivity.js';
import { COVID_PARAMETERS } from './parameters.js';
import { mixingReproduction, reproductionCurve } from './reproduction.js';

const defaults = Object.fromEntries(Object.entries(COVID_PARAMETERS).map(([k, spec]) => [k, spec.default])) as Record<string, number>;
const population = testPopulations.populations!.find((p) => p.id === 'layered')!.build({ agents: 20_000, seed: 1 }) as PopulationData;
const rMixAt = (params: Record<string, number>, r: number) => mixingReproduction(tf.scalar(r), reproductionCurve(population, params)).dataSync()[0]!;

describe('curve sensitivity of R_mix', () => {
  const params = { ...defaults, householdWeight: 2 };
  const curve = [...reproductionCurve(population, params), registerCurveSource(population, params)];
  const tensors = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? tf.scalar(v) : tf.tensor1d(v as number[])]));

  it('covers the learnable layer weights and durations, not the fixed SDs', () => {
    expect(LEARNABLE_CURVE_PARAMS).toEqual(expect.arrayContaining(['householdWeight', 'communityWeight', 'infectiousDays', 'latentDays', 'asymptomaticInfectiousness']));
    expect(LEARNABLE_CURVE_PARAMS).not.toContain('infectiousSd');
  });

  it('predicts the R_mix of curves re-measured 30% either side of the household weight', () => {
    const token = curve[curve.length - 1]!;
    const change = (name: string) => {
      const base = params[name as keyof typeof params] as number;
      return { measured: rMixAt({ ...params, [name]: 1.3 * base }, 2.5) - rMixAt({ ...params, [name]: 0.7 * base }, 2.5), predicted: curveSlope(token, name, 2.5) * 0.6 * base };
    };
    // the household weight moves R_mix by over 10%: predicted within 20% of the change
    const household = change('householdWeight');
    expect(household.measured / rMixAt(params, 2.5)).toBeGreaterThan(0.1);
    expect(Math.abs(household.predicted / household.measured - 1)).toBeLessThan(0.2);
  });

  it('is zero at theta0 with the slope as its gradient, and slope x (theta - theta0) away from it', () => {
    const token = curve[curve.length - 1]!;
    const hw = tf.variable(tf.scalar(2));
    const param = (name: string) => (name === 'householdWeight' ? hw : tensors[name]!);
    expect(curveShift(param, curve, 2.5)!.dataSync()[0]).toBe(0);
    const g = tf.grad(() => curveShift(param, curve, 2.5)!)(hw);
    expect(g.dataSync()[0]).toBeCloseTo(curveSlope(token, 'householdWeight', 2.5), 5);
    expect(curveSlope(token, 'householdWeight', 2.5)).toBeGreaterThan(0); // household saturation: more household weight needs a larger R_mix
    hw.assign(tf.scalar(2.2));
    expect(curveShift(param, curve, 2.5)!.dataSync()[0]).toBeCloseTo(0.2 * curveSlope(token, 'householdWeight', 2.5), 5);
  });

  it('is absent without a registered source (a curve without a token)', () => {
    expect(curveShift((n) => tensors[n]!, curve.slice(0, -1), 2.5)).toBeUndefined();
  });
});
