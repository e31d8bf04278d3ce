/**
 * odeSubstep: an ODE component advanced inside each step of a model, against the analytic
 * solution, with its outputs written to model state and its parameters learnable.
 */
import { createRuntime, defineModel, definePlugin, meanOf, tf } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { defineOdeComponent } from './component.js';
import { odeParameters, odeSubstep } from './ode-substep.js';

const decay = defineOdeComponent({
  id: 'decay',
  description: 'dy/dt = -k y + u (u an input)',
  state: { y: { init: 1 } },
  parameters: { k: { default: 0.5, bounds: [0, 10], learnable: true } },
  inputs: { u: { description: 'constant source' } },
  derivative: (_t, { y }, { k }, { u }) => ({ y: tf.add(tf.neg(tf.mul(k, y)), u) }),
  outputs: { double: { compute: ({ y }) => tf.mul(y, 2) } },
});

function modelWith(options: { stepLength?: number; method?: 'rk4' | 'dopri5' | 'ros2' } = {}) {
  const sub = odeSubstep(decay, { state: { y: 'agents/cells/y' }, inputs: { u: 'agents/cells/u' }, outputs: { double: 'agents/cells/twice' }, params: { k: 'rate' }, dt: 0.05, ...options });
  return defineModel({
    id: 'decay-model',
    description: 'one decaying quantity per agent',
    state: {
      agents: {
        cells: {
          properties: {
            y: { dtype: 'float32', init: (ctx) => Array.from({ length: ctx.count }, (_, i) => 1 + i) },
            u: { dtype: 'float32', init: (ctx) => Array.from({ length: ctx.count }, (_, i) => (i % 2) * 0.3) },
            twice: { dtype: 'float32', init: 0 },
          },
        },
      },
    },
    parameters: odeParameters(decay, { k: 'rate' }),
    substeps: [sub],
    metrics: { meanY: meanOf('agents/cells/y'), meanTwice: meanOf('agents/cells/twice') },
  });
}

const exact = (y0: number, u: number, k: number, t: number) => u / k + (y0 - u / k) * Math.exp(-k * t);

describe('odeSubstep', () => {
  it.each(['rk4', 'dopri5', 'ros2'] as const)('%s: each agent follows y(t) = u/k + (y0 - u/k) exp(-k t) over the model steps, outputs written', async (method) => {
    const runtime = createRuntime({ plugins: [definePlugin({ name: 't', version: '1.0.0', models: [modelWith({ stepLength: 0.5, method })] })] });
    const sim = runtime.createSimulation({ model: 'decay-model', agents: 4, params: { rate: 0.8 } });
    await sim.run({ steps: 6 });
    const y = Array.from(sim.state('agents/cells/y').dataSync());
    const twice = Array.from(sim.state('agents/cells/twice').dataSync());
    y.forEach((v, i) => {
      expect(v).toBeCloseTo(exact(1 + i, (i % 2) * 0.3, 0.8, 3), method === 'ros2' ? 3 : 5);
      expect(twice[i]).toBeCloseTo(2 * v, 5);
    });
    sim.dispose();
  });

  it('the renamed parameter is a learnable model parameter whose gradient matches the analytic one', async () => {
    const runtime = createRuntime({ plugins: [definePlugin({ name: 't', version: '1.0.0', models: [modelWith()] })] });
    const sim = runtime.createSimulation({ model: 'decay-model', agents: 2, params: { rate: 0.4 } });
    await sim.run({ steps: 2 });
    const trace = () => sim.trace(2).meanY!;
    const vars = sim.variables();
    const { grads } = tf.variableGrads(() => tf.sum(tf.slice(trace(), [1], [1])) as tf.Scalar, [vars.rate!]);
    // agents: (y0 = 1, u = 0) and (y0 = 2, u = 0.3); d/dk of the mean of y(2)
    const dk = (y0: number, u: number, k: number, t: number) => -u / k ** 2 + (u / k ** 2) * Math.exp(-k * t) + (y0 - u / k) * -t * Math.exp(-k * t);
    const expected = (dk(1, 0, 0.4, 2) + dk(2, 0.3, 0.4, 2)) / 2;
    expect(Object.values(grads)[0]!.dataSync()[0]).toBeCloseTo(expected, 3);
    sim.dispose();
  });

  it('refuses options that do not fit the component', () => {
    expect(() => odeSubstep(decay, { state: {} as never, inputs: { u: 'agents/cells/u' } })).toThrow(/state\.y: expected the model state path/);
    expect(() => odeSubstep(decay, { state: { y: 'agents/cells/y' } } as never)).toThrow(/inputs\.u/);
    expect(() => odeSubstep(decay, { state: { y: 'agents/cells/y' }, inputs: { u: 'agents/cells/u' }, outputs: { triple: 'agents/cells/y' } as never })).toThrow(/one of the component's outputs \[double\]/);
    expect(() => odeSubstep(decay, { state: { y: 'agents/cells/y' }, inputs: { u: 'agents/cells/u' }, stepLength: 0 })).toThrow(/stepLength/);
  });
});
