import { describe, expect, it } from 'vitest';
import { defineComposite } from './composite.js';
import { PopulaceError } from './errors.js';
import { defineModel } from './model.js';
import { definePlugin } from './plugin.js';
import { definePopulation } from './population.js';
import { createRuntime } from './runtime.js';
import { sensitivity } from './gradients/sensitivity.js';
import { defineSubstep } from './substep.js';
import { tf } from './tf.js';

/** Cells whose size grows at a learnable rate with a random jitter; `shed` = what they lose each step. */
const source = defineModel({
  id: 'source',
  description: 'growing cells that shed a share of their size each step',
  state: { agents: { cells: { properties: { size: { dtype: 'float32', init: (ctx) => Array.from(ctx.uniform('size'), (u) => 1 + u) } } } } },
  parameters: { rate: { default: 0.05, bounds: [0, 1], learnable: true }, loss: { default: 0.02, bounds: [0, 1], learnable: true } },
  substeps: [
    defineSubstep({
      name: 'grow',
      reads: ['agents/cells/size'],
      writes: ['agents/cells/size'],
      transition: (ctx) => {
        const jitter = tf.mul(ctx.random.uniform('cells'), 0.01);
        return { 'agents/cells/size': tf.mul(ctx.get('agents/cells/size'), tf.add(tf.sub(1, ctx.param('loss')), tf.add(ctx.param('rate'), jitter))) };
      },
    }),
  ],
  metrics: {
    shed: { unit: 'kg/day', reads: ['agents/cells/size'], compute: (ctx) => tf.mul(tf.sum(ctx.get('agents/cells/size')), ctx.param('loss')) },
  },
  defaultAgents: 20,
});

/** A stock fed by an input, drained at a learnable share; its own random noise. */
const sink = defineModel({
  id: 'sink',
  description: 'a store filled by an input',
  state: { agents: { bins: { properties: { level: { dtype: 'float32', init: 0 } } } } },
  parameters: { drain: { default: 0.1, bounds: [0, 1], learnable: true } },
  inputs: { inflow: { description: 'what arrives each step', unit: 'kg/day', default: 1 } },
  substeps: [
    defineSubstep({
      name: 'fill',
      reads: ['agents/bins/level'],
      writes: ['agents/bins/level'],
      transition: (ctx) => {
        const level = ctx.get('agents/bins/level');
        const share = tf.div(ctx.random.uniform('bins'), ctx.count('bins') / 2);
        return { 'agents/bins/level': tf.add(tf.mul(level, tf.sub(1, ctx.param('drain'))), tf.mul(ctx.input('inflow'), share)) };
      },
    }),
  ],
  metrics: { stored: { reads: ['agents/bins/level'], compute: (ctx) => tf.sum(ctx.get('agents/bins/level')) } },
  defaultAgents: 5,
});

const cellsPopulation = definePopulation({ id: 'petri', description: 'a dish of cells', defaultAgents: 30, agentTypes: ['cells'], build: ({ agents = 30 }) => ({ agents: { cells: { count: agents } } }) });
const plugin = definePlugin({ name: 'lab', version: '0.0.0', models: [source, sink], populations: [cellsPopulation] });

function runtime() {
  return createRuntime({ plugins: [plugin], backend: 'cpu' });
}

async function caught(fn: () => unknown): Promise<PopulaceError> {
  try {
    await fn();
  } catch (error) {
    if (PopulaceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a PopulaceError');
}

describe('composite models', () => {
  it('reproduce each member alone: the source as it runs alone, the sink fed the source series as data', async () => {
    const rt = runtime();
    const composition = rt.compose({ models: ['source', 'sink'], links: ['lab/source.shed=lab/sink.inflow'], populations: { source: 'petri' } });
    expect(Object.keys(composition.definition.metrics)).toEqual(['source.shed', 'sink.stored']);
    expect(Object.keys(composition.definition.inputs ?? {})).toEqual([]);
    const both = composition.createSimulation({ seed: 7 });
    const linked = (await both.run({ steps: 25 })).metrics;
    const alone = rt.createSimulation({ model: 'source', population: 'petri', seed: 7 });
    const shed = (await alone.run({ steps: 25 })).metrics.shed!;
    const fed = rt.createSimulation({ model: 'sink', seed: 7, inputs: { inflow: shed } });
    const stored = (await fed.run({ steps: 25 })).metrics.stored!;
    expect(linked['source.shed']).toEqual(shed);
    expect(linked['sink.stored']).toEqual(stored);
    // and the link matters: the default inflow gives another series
    const unfed = rt.createSimulation({ model: 'sink', seed: 7 });
    expect((await unfed.run({ steps: 25 })).metrics.stored).not.toEqual(stored);
    for (const s of [both, alone, fed, unfed]) s.dispose();
  });

  it('carries gradients across the link (d sink / d source parameter against central finite differences)', async () => {
    const composition = runtime().compose({ models: ['source', 'sink'], links: [{ from: 'source.shed', to: 'sink.inflow', scale: 2 }] });
    const sim = composition.createSimulation({ seed: 3 });
    await sim.ready();
    const steps = 15;
    const result = await sensitivity(sim, { output: 'sink.stored:sum', steps, estimator: 'straight-through' });
    const total = async (rate: number) => {
      sim.setParams({ 'source.rate': rate });
      await sim.reset();
      return (await sim.run({ steps })).metrics['sink.stored']!.reduce((a, b) => a + b, 0);
    };
    const h = 1e-3;
    const fd = ((await total(0.05 + h)) - (await total(0.05 - h))) / (2 * h);
    const g = result.entries.find((e) => e.param === 'source.rate')!.gradient;
    expect(fd).toBeGreaterThan(0);
    expect(Math.abs(g - fd) / Math.abs(fd)).toBeLessThan(0.01);
    // the sink's own parameter too
    expect(result.entries.find((e) => e.param === 'sink.drain')!.gradient).toBeLessThan(0);
    sim.dispose();
  });

  it('leaves unlinked inputs to data, and checks them', async () => {
    const rt = runtime();
    const composition = rt.compose({ models: ['source', 'sink'] });
    expect(Object.keys(composition.definition.inputs ?? {})).toEqual(['sink.inflow']);
    const sim = composition.createSimulation({ inputs: { 'sink.inflow': [1, 2, 3] } });
    expect((await caught(() => sim.run({ steps: 4 }))).code).toBe('input-too-short');
    expect((await caught(() => sim.run({ steps: 4 }))).message).toMatch(/input 'sink.inflow' .* has 3 values \(steps 0-2\), but running to step 3 needs 4/);
    await sim.run({ steps: 3 });
    sim.dispose();
    expect((await caught(() => composition.createSimulation({ inputs: { 'sink.inflw': 1 } }))).message).toMatch(/no input 'sink.inflw'. Did you mean 'sink.inflow'\?/);
    expect((await caught(() => rt.createSimulation({ model: 'sink', inputs: { inflow: [1, Number.NaN] } }))).message).toMatch(/value 1 \(step 1\) expected a finite number/);
  });

  it('refuses bad links with clear errors', async () => {
    const rt = runtime();
    const cases: [Parameters<typeof rt.compose>[0], string, RegExp][] = [
      [{ models: ['source', 'sink'], links: ['source.shed=sink.outflow'] }, 'unknown-input', /model 'sink' \(member 'sink'\) has no input 'outflow'; its inputs: inflow/],
      [{ models: ['source', 'sink'], links: ['source.grown=sink.inflow'] }, 'unknown-id', /has no metric 'grown'; it has \[shed\]/],
      [{ models: ['source', 'sink'], links: ['sink.stored=sink.inflow'] }, 'incompatible-link', /cannot feed itself/],
      [{ models: ['source', 'sink'], links: ['nowhere.shed=sink.inflow'] }, 'invalid-argument', /expected <model>.<name> with a model among \[lab\/source, lab\/sink\]/],
      [{ models: ['source', 'sink'], links: ['source.shed*x=sink.inflow'] }, 'invalid-argument', /factor after '\*' expected a finite number/],
      [{ models: ['source', 'sink'], populations: { drain: 'petri' } }, 'invalid-argument', /populations names 'drain', which is not one of the composed models \[lab\/source, lab\/sink\]/],
      [{ models: ['source', 'sink'], agents: { source: 0 } }, 'invalid-argument', /agents of lab\/source: expected an integer in \[1, 2147483647\], received 0/],
    ];
    for (const [options, code, message] of cases) {
      const error = await caught(() => rt.compose(options));
      expect(error.code, JSON.stringify(options)).toBe(code);
      expect(error.message).toMatch(message);
    }
    const kilos = defineModel({ ...sink, id: 'sink2', inputs: { inflow: { description: 'grams', unit: 'g/day' } } });
    const error = await caught(() => defineComposite({ id: 'c', members: { source, sink: kilos }, links: [{ from: 'source.shed', to: 'sink.inflow' }] }));
    expect(error.code).toBe('incompatible-link');
    expect(error.message).toMatch(/the metric is in kg\/day but the input expects g\/day. Give a conversion scale/);
    expect(() => defineComposite({ id: 'c', members: { source, sink: kilos }, links: [{ from: 'source.shed', to: 'sink.inflow', scale: 1000 }] })).not.toThrow();
  });

  it('refuses a cycle of links and a missing input', async () => {
    const echo = defineModel({ ...sink, id: 'echo', inputs: { inflow: { description: 'x' } }, metrics: { ...sink.metrics, out: { reads: ['agents/bins/level'], compute: (ctx) => tf.sum(ctx.get('agents/bins/level')) } } });
    const error = await caught(() => defineComposite({ id: 'loop', members: { a: echo, b: echo }, links: [{ from: 'a.out', to: 'b.inflow' }, { from: 'b.out', to: 'a.inflow' }] }));
    expect(error.code).toBe('incompatible-link');
    expect(error.message).toMatch(/links form a cycle .*make one link of the cycle lag a step/);
    const rt = createRuntime({ plugins: [definePlugin({ name: 'e', version: '0.0.0', models: [echo] })], backend: 'cpu' });
    const missing = await caught(() => rt.createSimulation({ model: 'echo' }));
    expect(missing.code).toBe('missing-input');
    expect(missing.message).toMatch(/needs input 'inflow' \(x\), which has no default\. Give the input 'inflow': a number, or one value per step from step 0\./);
  });

  it('lets two members feed each other through a lagged link: each reproduces its run alone fed the other series (the lagged one a step late)', async () => {
    const echo = defineModel({
      ...sink,
      id: 'echo',
      state: { agents: { bins: { properties: { level: { dtype: 'float32', init: 1 } } } } },
      metrics: { ...sink.metrics, out: { unit: 'kg/day', reads: ['agents/bins/level'], compute: (ctx) => tf.mul(tf.sum(ctx.get('agents/bins/level')), 0.5) } },
    });
    const rt = createRuntime({ plugins: [definePlugin({ name: 'e', version: '0.0.0', models: [echo] })], backend: 'cpu' });
    // b steps after a and reads a's metric of the same step; a reads b's metric of the previous step
    const loop = defineComposite({ id: 'loop', members: { b: defineModel({ ...echo, id: 'pong' }), a: echo }, links: [{ from: 'a.out', to: 'b.inflow' }, { from: 'b.out', to: 'a.inflow', lag: 1 }] });
    expect(loop.composite.order).toEqual(['a', 'b']);
    expect(loop.description).toMatch(/b.out \(previous step\) -> a.inflow/);
    const rt2 = createRuntime({ plugins: [definePlugin({ name: 'l', version: '0.0.0', models: [loop] })], backend: 'cpu' });
    const linked = (await rt2.createSimulation({ model: 'loop', seed: 5 }).run({ steps: 12 })).metrics;
    const aOut = linked['a.out']!;
    const bOut = linked['b.out']!;
    // each member draws the random numbers it draws alone (by its substep's name)
    const streamsOf = async (inflow: number[]) => (await rt.createSimulation({ model: 'echo', seed: 5, inputs: { inflow } }).run({ steps: 12 })).metrics;
    // a's inflow: b's output at the end of the previous step; at step 0 of b's initial state (5 bins at level 1: 2.5)
    const aAlone = await streamsOf([2.5, ...bOut.slice(0, 11)]);
    const bAlone = await streamsOf(aOut);
    aAlone.out!.forEach((v, t) => expect(v).toBeCloseTo(aOut[t]!, 5));
    bAlone.out!.forEach((v, t) => expect(v).toBeCloseTo(bOut[t]!, 5));
    // and the lag matters: fed b's output of the same step, a differs
    expect((await streamsOf(bOut)).out).not.toEqual(aOut);
    // the text form: '@-1' after the metric
    const text = (await caught(() => rt.compose({ models: ['echo'], links: ['echo.out@-2=echo.inflow'] }))).message;
    expect(text).toMatch(/after '@' expected -1 \(the metric of the previous step\), received "-2"/);
    expect((await caught(() => defineComposite({ id: 'x', members: { a: echo, b: echo }, links: [{ from: 'a.out', to: 'b.inflow', lag: 2 as 1 }] }))).message).toMatch(/lag expected 0 \(the same step\) or 1/);
  });
});
