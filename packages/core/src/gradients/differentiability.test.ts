import { describe, expect, it } from 'vitest';
import { PopulaceError } from '../errors.js';
import { countWhere, sumOf } from '../metrics.js';
import { defineModel } from '../model.js';
import { definePlugin } from '../plugin.js';
import { createRuntime } from '../runtime.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';
import { calibrate } from './calibrate.js';
import { diagnoseGradients } from './differentiability.js';
import { sensitivity } from './sensitivity.js';

const STATUS = 'agents/people/status';
const X = 'agents/people/x';

/** The toy SIR users met: int32 status, events by comparing draws, metrics by countWhere. */
const hardSir = defineModel({
  id: 'hard-sir',
  description: 'SIR on an int32 status (not differentiable)',
  state: {
    agents: { people: { properties: { status: { dtype: 'int32', init: (ctx) => Int32Array.from({ length: ctx.count }, (_, i) => (i < 5 ? 1 : 0)) } } } },
    environment: { newInfections: { dtype: 'float32', init: 0 } },
  },
  parameters: { beta: { default: 0.5, bounds: [0, 5], learnable: true }, gamma: { default: 0.1, bounds: [0, 1], learnable: true } },
  substeps: [defineSubstep({
    name: 'day',
    reads: [STATUS],
    writes: [STATUS, 'env/newInfections'],
    transition: (ctx) => {
      const status = ctx.get(STATUS);
      const infected = tf.sum(tf.cast(tf.equal(status, 1), 'float32'));
      const p = tf.sub(1, tf.exp(tf.neg(tf.mul(ctx.params.beta!, tf.div(infected, ctx.count('people'))))));
      const newly = tf.logicalAnd(tf.equal(status, 0), tf.less(ctx.random.uniform('people', 'infect'), p));
      const recovers = tf.logicalAnd(tf.equal(status, 1), tf.less(ctx.random.uniform('people', 'recover'), ctx.params.gamma!));
      return { [STATUS]: tf.add(status, tf.add(tf.cast(newly, 'int32'), tf.cast(recovers, 'int32'))), 'env/newInfections': tf.sum(tf.cast(newly, 'float32')) };
    },
  })],
  metrics: { I: countWhere(STATUS, 1), newInfections: sumOf('env/newInfections') },
  defaultAgents: 300,
});

/** Agents leave a float32 0/1 indicator with probability k a step (a surrogate-gradient event); `late` breaks from step `breakAt` on. */
const softModel = (id: string, breakAt: number) =>
  defineModel({
    id,
    description: 'x leaves 1 with probability k; from step breakAt a substep counts it through a comparison',
    state: { agents: { people: { properties: { x: { dtype: 'float32', init: 1 } } } }, environment: { total: { dtype: 'float32', init: 0 } } },
    parameters: { k: { default: 0.2, bounds: [0, 1], learnable: true } },
    substeps: [
      defineSubstep({ name: 'decay', reads: [X], writes: [X], transition: (ctx) => ({ [X]: tf.sub(ctx.get(X), ctx.sample.bernoulli(ctx.params.k!, { mask: ctx.get(X) })) }) }),
      defineSubstep({
        name: 'late',
        reads: [X],
        writes: ['env/total'],
        transition: (ctx) => ({ 'env/total': ctx.step >= breakAt ? tf.sum(tf.cast(tf.greater(ctx.get(X), 0.5), 'float32')) : tf.sum(ctx.get(X)) }),
      }),
    ],
    metrics: { x: sumOf(X), ones: countWhere(X, 1), zeros: countWhere(X, 0), total: sumOf('env/total') },
    defaultAgents: 50,
  });

const plugin = definePlugin({ name: 'd', version: '1.0.0', models: [hardSir, softModel('soft', 1_000), softModel('late', 5)] });
const runtime = createRuntime({ plugins: [plugin], backend: 'cpu' });

async function rejection(promise: Promise<unknown>): Promise<PopulaceError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(PopulaceError.isInstance(error)).toBe(true);
  return error as PopulaceError;
}

describe('diagnoseGradients', () => {
  it('names the metric and the substep without a gradient, their ops, the int32 state and the fix; leaks nothing', async () => {
    const sim = runtime.createSimulation({ model: 'hard-sir', seed: 1 });
    await sim.ready();
    const before = tf.memory().numTensors;
    const d = await diagnoseGradients(sim);
    expect(tf.memory().numTensors).toBe(before);
    expect(d.differentiable).toEqual([]);
    const [metric, substep] = d.metrics.I!;
    expect(metric).toMatchObject({ kind: 'metric', name: 'I', ops: ['Equal'], params: ['beta', 'gamma'], step: 0 });
    expect(metric!.reason).toBe("metric 'I' of d/hard-sir counts int32 state 'agents/people/status' with countWhere (comparisons have no gradient): report a float32 0/1 indicator with sumOf or countWhere(path, 1), or choose another output");
    expect(substep).toMatchObject({ kind: 'substep', name: 'day', params: ['beta', 'gamma'], nonFloatState: [STATUS] });
    expect([...substep!.ops].sort()).toEqual(['Equal', 'Less', 'LogicalAnd']);
    expect(substep!.reason).toContain('ctx.sample.bernoulli');
    expect(d.metrics.newInfections!.map((b) => b.name)).toEqual(['day']);
    sim.dispose();
  });

  it('finds every metric of a differentiable model clear, countWhere on a 0/1 float indicator included', async () => {
    const sim = runtime.createSimulation({ model: 'soft', seed: 1 });
    const d = await diagnoseGradients(sim);
    expect(d.differentiable).toEqual(['x', 'ones', 'zeros', 'total']);
    sim.dispose();
  });
});

describe('calibrate and sensitivity on a model that is not differentiable', () => {
  it('sensitivity throws a not-differentiable PopulaceError before the rollout, naming metric and substep', async () => {
    const sim = runtime.createSimulation({ model: 'hard-sir', seed: 1 });
    const error = await rejection(sensitivity(sim, { output: 'I:sum', steps: 30 }));
    expect(error.code).toBe('not-differentiable');
    expect(error.message).toMatch(/^sensitivity: I:sum of d\/hard-sir has no gradient with respect to beta, gamma: metric 'I' of d\/hard-sir counts int32 state 'agents\/people\/status' with countWhere .*; substep 'day' of d\/hard-sir runs /);
    expect(error.details).toMatchObject({ model: 'd/hard-sir', output: 'I:sum', params: ['beta', 'gamma'] });
    expect(sim.currentStep).toBe(0);
    sim.dispose();
  });

  it('calibrate throws the same kind of error for the observed metrics', async () => {
    const sim = runtime.createSimulation({ model: 'hard-sir', seed: 1 });
    const error = await rejection(calibrate(sim, { observed: { newInfections: [1, 2, 3, 4] }, epochs: 2 }));
    expect(error.code).toBe('not-differentiable');
    expect(error.message).toContain("calibrate: newInfections of d/hard-sir has no gradient with respect to beta, gamma: substep 'day' of d/hard-sir runs");
    expect(error.message).not.toContain("metric 'I'");
    sim.dispose();
  });

  it('a break that appears only later is caught in the reverse pass and translated, naming the substep', async () => {
    const sim = runtime.createSimulation({ model: 'late', seed: 1 });
    // probe: steps 0-1 are clean; the rollout meets Greater at step 5, the re-probe (checkpointEvery = 6 steps) names 'late'
    const error = await rejection(sensitivity(sim, { output: 'total:sum', steps: 12, checkpointEvery: 6 }));
    expect(error.code).toBe('not-differentiable');
    expect(error.message).toContain("substep 'late' of d/late runs Greater on values that depend on k (comparisons are piecewise constant and have no gradient)");
    expect(error.message).toContain('Differentiable outputs of d/late: x, ones, zeros');
    sim.dispose();
  });

  it('a break beyond the re-probe is still a not-differentiable error naming the op', async () => {
    const sim = runtime.createSimulation({ model: 'late', seed: 1 });
    const error = await rejection(sensitivity(sim, { output: 'total:sum', steps: 12, checkpointEvery: 3 }));
    expect(error.code).toBe('not-differentiable');
    expect(error.message).toContain('the reverse pass met the tfjs op Greater');
    expect(error.message).toContain('substeps [decay, late]');
    sim.dispose();
  });
});

describe('countWhere on a float32 0/1 indicator', () => {
  it('counts exactly and has the gradient of sum(x) (value 1) and n - sum(x) (value 0)', async () => {
    const sim = runtime.createSimulation({ model: 'soft', seed: 1 });
    const x = await sensitivity(sim, { output: 'x:sum', steps: 4 });
    const ones = await sensitivity(sim, { output: 'ones:sum', steps: 4 });
    const zeros = await sensitivity(sim, { output: 'zeros:sum', steps: 4 });
    expect(ones.output.value).toBe(x.output.value);
    expect(zeros.output.value).toBe(4 * 50 - x.output.value);
    expect(ones.gradients.k).toBeCloseTo(x.gradients.k as number, 3);
    expect(zeros.gradients.k).toBeCloseTo(-(x.gradients.k as number), 3);
    expect(x.gradients.k).toBeLessThan(0);
    sim.dispose();
  });
});
