import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../examples/plugin.js';
import { meanOf } from '../metrics.js';
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
    const report = await checkPluginConformance(examplePlugin);
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
});
