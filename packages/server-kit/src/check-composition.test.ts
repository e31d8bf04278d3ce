import { describe, expect, it } from 'vitest';
import { checkComposition, checkInputs, checkInputSteps, MAX_INPUT_VALUES } from './check-composition.js';
import { resolveLimits } from './limits.js';

const limits = resolveLimits({ maxAgents: 1000, maxSteps: 500 });

describe('checkInputs', () => {
  it('takes numbers and series within the length bound, refusing anything else by field', () => {
    expect(checkInputs(undefined, limits)).toBeUndefined();
    expect(checkInputs({ a: 2, b: [1, 2, 3] }, limits)).toEqual({ a: 2, b: [1, 2, 3] });
    expect(() => checkInputs([1], limits)).toThrow(/inputs: expected an object \{ name: number or \[number, \.\.\.\] \}/);
    expect(() => checkInputs({ a: Number.NaN }, limits)).toThrow(/inputs\.a: expected a finite number/);
    expect(() => checkInputs({ a: [1, 'x'] }, limits)).toThrow(/inputs\.a\[1\]: expected a finite number, received "x"/);
    expect(() => checkInputs({ a: [] }, limits)).toThrow(/inputs\.a: expected a finite number or an array of 1 to 500 finite numbers/);
    // the bound is the server's maxSteps, and never more than MAX_INPUT_VALUES
    expect(() => checkInputs({ a: new Array(501).fill(0) }, limits)).toThrow(/array of 1 to 500 .*received "an array of 501 values"/);
    expect(() => checkInputs({ a: new Array(MAX_INPUT_VALUES + 1).fill(0) }, resolveLimits({ maxSteps: 1e9 }))).toThrow(`array of 1 to ${MAX_INPUT_VALUES}`);
  });

  it('refuses a series shorter than the steps, as input-too-short', () => {
    expect(() => checkInputSteps({ a: 1, b: [1, 2] }, 2, 'm')).not.toThrow();
    expect(() => checkInputSteps({ b: [1, 2] }, 3, 'm')).toThrow(expect.objectContaining({ code: 'input-too-short' }));
  });
});

describe('checkComposition', () => {
  it('reads a+b with links and per-model populations and agents', () => {
    expect(checkComposition({ model: 'x/a' }, limits)).toBeUndefined();
    expect(checkComposition({ model: 'x/a + x/b', links: ['x/a.m=x/b.i'], populations: { 'x/a': 'p' }, memberAgents: { 'x/b': 5 } }, limits)).toEqual({ models: ['x/a', 'x/b'], links: ['x/a.m=x/b.i'], populations: { 'x/a': 'p' }, agents: { 'x/b': 5 } });
  });

  it('refuses links without a composition, empty parts, one-model fields and bad per-model values', () => {
    expect(() => checkComposition({ model: 'x/a', links: ['x/a.m=x/b.i'] }, limits)).toThrow(/model: expected models joined by '\+'/);
    expect(() => checkComposition({ model: 'x/a+' }, limits)).toThrow(/model: expected models joined by '\+', e\.g\./);
    expect(() => checkComposition({ model: 'x/a+x/b', agents: 10 }, limits)).toThrow(/agents: expected nothing in a composed run/);
    expect(() => checkComposition({ model: 'x/a+x/b', links: 'x/a.m=x/b.i' }, limits)).toThrow(/links: expected an array/);
    expect(() => checkComposition({ model: 'x/a+x/b', memberAgents: { 'x/a': 0 } }, limits)).toThrow(/memberAgents\.x\/a: expected a whole number of agents >= 1/);
    expect(() => checkComposition({ model: 'x/a+x/b', memberAgents: { 'x/a': 5000 } }, limits)).toThrow(/memberAgents\.x\/a: expected at most 1000 agents/);
    expect(() => checkComposition({ model: 'x/a+x/b', populations: { 'x/a': '' } }, limits)).toThrow(/populations\.x\/a: expected a population id/);
  });
});
