import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../examples/plugin.js';
import { countWhere, meanOf, type MetricSpec } from '../metrics.js';
import { defineModel } from '../model.js';
import { definePlugin } from '../plugin.js';
import { defineSubstep } from '../substep.js';
import { tf } from '../tf.js';
import { checkPluginConformance } from './conformance.js';

const model = (id: string, transition: Parameters<typeof defineSubstep>[0]['transition']) =>
  defineModel({
    id,
    description: 'test',
    state: { agents: { a: { properties: { x: { dtype: 'float32', init: 0 } } } } },
    substeps: [defineSubstep({ name: 's', reads: ['agents/a/x'], writes: ['agents/a/x'], transition })],
    metrics: { meanX: meanOf('agents/a/x') },
  });

describe('checkPluginConformance', () => {
  it('passes the built-in example plugin', async () => {
    // 0.1% seeded of 200 agents is nobody: seed 5% so that the gradient check's run has an epidemic
    const seeded = { params: { seedFraction: 0.05 } };
    const report = await checkPluginConformance(examplePlugin, { gradients: { 'example/network-sir': seeded, 'example/network-seir': seeded } });
    expect(report.failures).toEqual([]);
    expect(report.checks.length).toBeGreaterThanOrEqual(7);
  });

  it('catches non-determinism, leaks and undeclared writes', async () => {
    let leaked: tf.Tensor | undefined;
    const bad = definePlugin({
      name: 'bad',
      version: '1.0.0',
      models: [
        model('dice', (ctx) => ({ 'agents/a/x': tf.fill([ctx.count('a')], Math.random()) })),
        model('leaky', (ctx) => {
          leaked = tf.keep(tf.ones([1]));
          return { 'agents/a/x': tf.add(ctx.get('agents/a/x'), 1) };
        }),
        model('sneaky', () => ({ 'agents/a/y': tf.ones([1]) }) as never),
      ],
    });
    const report = await checkPluginConformance(bad);
    const failed = Object.fromEntries(report.failures.map((f) => [f.name.split(':')[0], f.message]));
    expect(failed['bad/dice']).toMatch(/differs between two runs/);
    expect(failed['bad/leaky']).toMatch(/tensors leaked/);
    expect(failed['bad/sneaky']).toMatch(/wrote 'agents\/a\/y'/);
    leaked?.dispose();
  });

  it('names the state path and step of the first non-finite value', async () => {
    const nan = definePlugin({
      name: 'nan',
      version: '1.0.0',
      // x: 0, then log(0 - 1) = NaN at step 2 (step 1 gives -1)
      models: [model('log', (ctx) => ({ 'agents/a/x': ctx.step === 0 ? tf.sub(ctx.get('agents/a/x'), 1) : tf.log(ctx.get('agents/a/x')) }))],
    });
    const report = await checkPluginConformance(nan);
    const finite = report.checks.find((c) => c.name === 'nan/log: float state stays finite over 3 steps')!;
    expect(finite).toMatchObject({ passed: false, message: "state 'agents/a/x' is NaN at element 0 after step 2 (the first non-finite value)" });
  });

  it('checks that a model with learnable parameters has a finite, non-zero gradient for each', async () => {
    const X = 'agents/a/x';
    const learner = (id: string, transition: Parameters<typeof defineSubstep>[0]['transition'], metrics: Record<string, MetricSpec> = { meanX: meanOf(X) }) =>
      defineModel({
        id,
        description: 'test',
        state: { agents: { a: { properties: { x: { dtype: 'float32', init: 1 } } } } },
        parameters: { k: { default: 0.3, bounds: [0, 1], learnable: true }, unused: { default: 1, bounds: [0, 2], learnable: true } },
        substeps: [defineSubstep({ name: 'grow', reads: [X], writes: [X], transition })],
        metrics,
      });
    const plugin = definePlugin({
      name: 'g',
      version: '1.0.0',
      models: [
        learner('good', (ctx) => ({ [X]: tf.mul(ctx.get(X), tf.add(1, tf.mul(ctx.params.k!, ctx.params.unused!))) })),
        learner('dead', (ctx) => ({ [X]: tf.mul(ctx.get(X), tf.add(1, ctx.params.k!)) })),
        learner('hard', (ctx) => ({ [X]: tf.cast(tf.greater(tf.mul(ctx.get(X), ctx.params.k!), 0.1), 'float32') }), { meanX: meanOf(X), ones: countWhere(X, 1) }),
        learner('nan', (ctx) => ({ [X]: tf.mul(ctx.get(X), tf.sqrt(tf.sub(ctx.params.k!, tf.mul(ctx.params.unused!, 0.3)))) })),
      ],
    });
    const report = await checkPluginConformance(plugin);
    const result = (id: string) => report.checks.find((c) => c.name === `g/${id}: every learnable parameter has a finite, non-zero gradient`)!;
    expect(result('good')).toEqual({ name: 'g/good: every learnable parameter has a finite, non-zero gradient', passed: true });
    expect(result('dead').passed).toBe(false);
    expect(result('dead').message).toBe("learnable parameters without a gradient: 'unused' reaches no metric in this run (no op connects it to one): if that is expected here (e.g. the weight of a contact layer the population lacks), list it in options.gradients['g/dead'].inert, else drop learnable: true or use it in a substep");
    const inert = await checkPluginConformance(plugin, { gradients: { 'g/dead': { inert: ['unused'] } } });
    expect(inert.checks.find((c) => c.name === 'g/dead: every learnable parameter has a finite, non-zero gradient')).toMatchObject({ passed: true, message: 'inert in this run: unused' });
    expect(result('hard').passed).toBe(false);
    expect(result('hard').message).toContain("declares learnable parameters [k, unused] but no metric has a gradient: substep 'grow' of g/hard runs Greater on values that depend on k");
    expect(result('nan').passed).toBe(false);
    expect(result('nan').message).toMatch(/^d meanX:sum \/ d k is (NaN|Infinity|-Infinity) over 3 steps/);
  });
});
