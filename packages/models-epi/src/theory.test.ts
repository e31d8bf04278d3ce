import { describe, expect, it } from 'vitest';
import { discreteR0, edgeTransmissibility, finalSize, latentGrowthFactor, meanExcessDegree, networkFinalSize, rankOneAttack, rankOneFinalSize, seirGrowthFactor, sirGrowthFactor } from './theory.js';

describe('theory', () => {
  it('final size: z = 1 - exp(-R0 z), with and without seeds', () => {
    for (const r0 of [0.5, 1.5, 2, 3]) {
      const z = finalSize(r0);
      expect(Math.abs(z - (1 - Math.exp(-r0 * z)))).toBeLessThan(1e-12);
      if (r0 > 1) expect(z).toBeGreaterThan(0.5 * (1 - 1 / r0));
      else expect(z).toBeLessThan(1e-9);
    }
    expect(finalSize(2)).toBeCloseTo(0.7968121300, 9);
    const seeded = finalSize(0.5, 0.01);
    expect(Math.abs(1 - seeded - 0.99 * Math.exp(-0.5 * seeded))).toBeLessThan(1e-12);
    expect(discreteR0(0.3, 0.1)).toBeCloseTo(0.3 / (1 - Math.exp(-0.1)), 12);
  });

  it('growth factors are eigenvalues of the linearised schemes', () => {
    expect(sirGrowthFactor(0.3, 0.1)).toBeCloseTo(Math.exp(-0.1) + 0.3, 12);
    const [b, q, p] = [0.4, 0.25, 0.15];
    const l = latentGrowthFactor(b, q, p);
    expect((1 - q - l) * (1 - p - l) - b * q).toBeCloseTo(0, 12);
    expect(seirGrowthFactor(0.4, 0.3, 0.2)).toBeCloseTo(latentGrowthFactor(0.4, 1 - Math.exp(-0.3), 1 - Math.exp(-0.2)), 12);
    // R0 = 1 <=> growth factor 1
    expect(latentGrowthFactor(0.15, 0.3, 0.15)).toBeCloseTo(1, 12);
  });

  it('percolation: a one-day infectious period gives T = 1 - exp(-h); threshold at T (<k^2> - <k>) / <k> = 1', () => {
    expect(edgeTransmissibility(0.2, 40)).toBeCloseTo(1 - Math.exp(-0.2), 12);
    expect(edgeTransmissibility(0.2, 0.1)).toBeGreaterThan(1 - Math.exp(-0.2));
    const regular = [0, 0, 0, 0, 1]; // 4-regular: excess degree 3
    expect(meanExcessDegree(regular)).toBe(3);
    expect(networkFinalSize(regular, 0.3, 0)).toBeLessThan(1e-9);
    expect(networkFinalSize(regular, 0.4, 0)).toBeGreaterThan(0.1);
    // a huge mean degree tends to well-mixed: T k = R0 fixed
    const k = 400;
    const poisson = Array.from({ length: 800 }, (_, j) => Math.exp(-k + j * Math.log(k) - lgamma(j + 1)));
    expect(networkFinalSize(poisson, 2 / k, 0)).toBeCloseTo(finalSize(2), 2);
  });

  it('rank-one final size reduces to the homogeneous one for identical agents and grows with R', () => {
    expect(rankOneFinalSize(2, [1, 1, 1], [0.5, 0.5, 0.5])).toBeCloseTo(finalSize(2), 10);
    const s = [0.3, 1, 1.5];
    const c = [0.6, 0.7, 0.9];
    const attack = rankOneAttack(2.5, s, c, 0.001);
    expect(attack[0]!).toBeLessThan(attack[1]!);
    expect(attack[1]!).toBeLessThan(attack[2]!);
    expect(rankOneFinalSize(1.5, s, c, 0.001)).toBeLessThan(rankOneFinalSize(2.5, s, c, 0.001));
  });
});

function lgamma(x: number): number {
  let sum = 0;
  for (let i = 2; i < x; i++) sum += Math.log(i);
  return sum;
}
