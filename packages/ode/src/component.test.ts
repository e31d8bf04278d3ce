/**
 * defineOdeComponent validates and freezes its input; parameterTensors resolves values.
 */
import { PopulaceError, tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { defineOdeComponent, evaluateOutputs, initialState, parameterTensors } from './component.js';

const input = {
  id: 'growth',
  description: 'dy/dt = r y',
  state: { y: { init: 2 } },
  parameters: { r: { default: 0.5, bounds: [0, 1] as [number, number], learnable: true } },
  derivative: (_t: tf.Tensor, { y }: Record<'y', tf.Tensor>, { r }: Record<'r', tf.Tensor>) => ({ y: tf.mul(r, y) }),
  outputs: { doubled: { compute: ({ y }: Record<'y', tf.Tensor>) => tf.mul(y, 2) } },
};

describe('defineOdeComponent', () => {
  it('returns a frozen copy; later edits to the input do not reach it', () => {
    const state = { y: { init: 2 } };
    const c = defineOdeComponent({ ...input, state });
    state.y.init = 5;
    expect(c.state.y.init).toBe(2);
    expect(Object.isFrozen(c) && Object.isFrozen(c.state) && Object.isFrozen(c.parameters.r)).toBe(true);
  });

  it.each([
    [{ id: 'a/b' }, /id: expected a local name/],
    [{ description: '' }, /description: expected a non-empty string/],
    [{ state: {} }, /state: expected at least one state variable/],
    [{ state: { y: { init: Number.NaN } } }, /state\.y\.init: expected a finite number/],
    [{ parameters: { r: { default: 2, bounds: [0, 1] } } }, /parameters\.r\.default: expected a value within \[0, 1\]/],
    [{ parameters: { r: { default: [1, 2] } } }, /ODE parameters are scalars/],
    [{ derivative: 'dy' }, /derivative: expected a function/],
    [{ outputs: { o: {} } }, /outputs\.o: expected an object \{ compute/],
    [{ inputs: { y: {} } }, /input names distinct from state and parameter names/],
  ])('rejects %o', (patch, message) => {
    let error: unknown;
    try {
      defineOdeComponent({ ...input, ...patch } as never);
    } catch (e) {
      error = e;
    }
    expect(PopulaceError.isInstance(error) && (error as PopulaceError).code).toBe('invalid-definition');
    expect((error as Error).message).toMatch(message);
  });

  it('resolves parameters, initial state and outputs', () => {
    const c = defineOdeComponent(input);
    const p = parameterTensors(c, { r: 0.25 });
    expect(p.r.dataSync()[0]).toBe(0.25);
    const y = initialState(c, [3], {});
    expect(Array.from(y.y.dataSync())).toEqual([2, 2, 2]);
    expect(Array.from(evaluateOutputs(c, y, p).doubled.dataSync())).toEqual([4, 4, 4]);
    expect(() => parameterTensors(c, { r: 2 })).toThrow(/within \[0, 1\]/);
  });
});
