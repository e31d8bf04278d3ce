import { describe, expect, it } from 'vitest';
import { PopulaceError } from './errors.js';
import { parseParamAssignment, resolveParams, validateParameterSpecs } from './parameters.js';

const specs = {
  beta: { default: 0.3, bounds: [0, 5] as const, learnable: true },
  weekly: { default: [1, 1, 1], bounds: [0, 10] as const },
  seeds: { default: 10, bounds: [0, 1e6] as const, integer: true },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(PopulaceError.isInstance(e)).toBe(true);
    return (e as PopulaceError).code;
  }
  return undefined;
}

describe('parameters', () => {
  it('resolves defaults and overrides', () => {
    expect(resolveParams(specs, undefined, 'm')).toEqual({ beta: 0.3, weekly: [1, 1, 1], seeds: 10 });
    expect(resolveParams(specs, { beta: 2, weekly: [1, 2, 3] }, 'm')).toEqual({ beta: 2, weekly: [1, 2, 3], seeds: 10 });
  });

  it('rejects unknown names with a suggestion and the known list', () => {
    expect(() => resolveParams(specs, { bta: 1 }, 'm')).toThrow(/no parameter 'bta'.*Did you mean 'beta'.*beta, weekly, seeds/);
    expect(codeOf(() => resolveParams(specs, { bta: 1 }, 'm'))).toBe('unknown-param');
  });

  it('refuses names found only on the prototype (constructor, toString, __proto__ ...), listing the valid ones', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__']) {
      const overrides = JSON.parse(`{${JSON.stringify(name)}: 1}`) as Record<string, unknown>;
      expect(Object.hasOwn(overrides, name)).toBe(true);
      expect(() => resolveParams(specs, overrides, 'm')).toThrow(`model 'm' has no parameter '${name}'.`);
      expect(() => resolveParams(specs, overrides, 'm')).toThrow('Known parameters: beta, weekly, seeds.');
      expect(codeOf(() => resolveParams(specs, overrides, 'm'))).toBe('unknown-param');
    }
  });

  it('rejects values outside the bounds, naming the bounds', () => {
    expect(() => resolveParams(specs, { beta: -1 }, 'm')).toThrow(/'beta': expected a value within \[0, 5\], received -1/);
    expect(codeOf(() => resolveParams(specs, { beta: 6 }, 'm'))).toBe('param-out-of-bounds');
    expect(codeOf(() => resolveParams(specs, { weekly: [1, 11, 1] }, 'm'))).toBe('param-out-of-bounds');
  });

  it('rejects non-numbers, wrong shapes and fractional integers', () => {
    expect(codeOf(() => resolveParams(specs, { beta: 'high' }, 'm'))).toBe('invalid-param');
    expect(codeOf(() => resolveParams(specs, { beta: Number.NaN }, 'm'))).toBe('invalid-param');
    expect(codeOf(() => resolveParams(specs, { beta: [1] }, 'm'))).toBe('invalid-param');
    expect(codeOf(() => resolveParams(specs, { weekly: [1, 2] }, 'm'))).toBe('invalid-param');
    expect(codeOf(() => resolveParams(specs, { seeds: 2.5 }, 'm'))).toBe('invalid-param');
  });

  it('validates declarations', () => {
    expect(() => validateParameterSpecs({ beta: { default: 9, bounds: [0, 5] } }, 'defineModel(m)')).toThrow(/default/);
    expect(() => validateParameterSpecs({ beta: { default: 1, bounds: [5, 0] } }, 'defineModel(m)')).toThrow(/lower <= upper/);
    expect(() => validateParameterSpecs({ beta: { default: [] } }, 'defineModel(m)')).toThrow(/non-empty array/);
  });

  it('parses name=value assignments', () => {
    expect(parseParamAssignment('beta=0.5')).toEqual(['beta', 0.5]);
    expect(parseParamAssignment('weekly=1,2.5,3')).toEqual(['weekly', [1, 2.5, 3]]);
    expect(() => parseParamAssignment('beta')).toThrow(/expected name=value/);
    expect(() => parseParamAssignment('beta=abc')).toThrow(/expected a number.*"abc"/);
    expect(() => parseParamAssignment('beta=')).toThrow(/expected a number/);
    expect(() => parseParamAssignment('beta=1,,2')).toThrow(/expected a number/);
  });
});
