import { afterEach, describe, expect, it } from 'vitest';
import { examplePlugin } from './examples/plugin.js';
import { PopulaceError } from './errors.js';
import { meanOf, sumOf } from './metrics.js';
import { defineModel } from './model.js';
import { definePlugin } from './plugin.js';
import { definePopulation } from './population.js';
import { createRuntime } from './runtime.js';
import type { Simulation } from './simulation.js';
import { defineSubstep } from './substep.js';
import { tf } from './tf.js';

const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
const sims: Simulation[] = [];
function sir(seed = 1, agents = 3000, params?: Record<string, unknown>): Simulation {
  const sim = runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents, seed, ...(params ? { params } : {}) });
  sims.push(sim);
  return sim;
}
afterEach(() => {
  while (sims.length) sims.pop()!.dispose();
});

async function rejection(promise: Promise<unknown>): Promise<PopulaceError> {
  try {
    await promise;
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a PopulaceError');
}

describe('Simulation', () => {
  it('runs, reports metrics per step and conserves agents', async () => {
    const sim = sir(1);
    const info = await sim.ready();
    expect(info).toMatchObject({ model: 'example/network-sir', population: 'example/random-graph', seed: 1, agents: { people: 3000 } });
    expect(info.backend.name).toBe('cpu');
    const result = await sim.run({ steps: 15 });
    expect(result.steps).toBe(15);
    const { S, I, R, newInfections } = result.metrics;
    for (const series of [S, I, R, newInfections]) expect(series).toHaveLength(15);
    for (let t = 0; t < 15; t++) expect(S![t]! + I![t]! + R![t]!).toBe(3000);
    for (let t = 1; t < 15; t++) expect(S![t - 1]! - S![t]!).toBe(newInfections![t]);
    expect(R![14]! + I![14]!).toBeGreaterThan(3); // the epidemic took off from ~3 seeds
  });

  it('is bit-identical for the same seed and differs between seeds', async () => {
    const a = await sir(7).run({ steps: 20 });
    const b = await sir(7).run({ steps: 20 });
    const c = await sir(8).run({ steps: 20 });
    expect(b.metrics).toEqual(a.metrics);
    expect(c.metrics).not.toEqual(a.metrics);
  });

  it('step(n) continues where it left off; reset() starts over identically', async () => {
    const sim = sir(3);
    const whole = (await sir(3).run({ steps: 6 })).metrics;
    await sim.step(2);
    await sim.step();
    expect(sim.currentStep).toBe(3);
    await sim.run({ steps: 3 });
    expect(sim.metrics()).toEqual(whole);
    await sim.reset();
    expect(sim.currentStep).toBe(0);
    expect(sim.metrics().I).toEqual([]);
    await sim.run({ steps: 6 });
    expect(sim.metrics()).toEqual(whole);
  });

  it('leaks no tensors across steps', async () => {
    const sim = sir(2);
    await sim.step();
    const after1 = tf.memory().numTensors;
    await sim.run({ steps: 10 });
    expect(tf.memory().numTensors).toBe(after1);
    const before = tf.memory().numTensors;
    const s = sim.state('agents/people/infected');
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
    sim.dispose();
  });

  it('frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const sim = sir(2);
    await sim.run({ steps: 3 });
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(sim.step()).rejects.toThrow(/disposed/);
  });

  it('reports progress and stops on an AbortSignal, keeping completed steps', async () => {
    const sim = sir(4);
    const seen: number[] = [];
    const controller = new AbortController();
    const error = await rejection(sim.run({ steps: 50, signal: controller.signal, onProgress: (p) => {
      seen.push(p.step);
      expect(p.steps).toBe(50);
      expect(Object.keys(p.latest)).toEqual(['S', 'I', 'R', 'newInfections']);
      if (p.step === 5) controller.abort();
    } }));
    expect(error.code).toBe('aborted');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(sim.metrics().S).toHaveLength(5);
  });

  it('exposes state copies and rejects unknown paths and early access', async () => {
    const sim = sir(5);
    expect(() => sim.state('agents/people/infected')).toThrow(/await sim.ready\(\)/);
    await sim.ready();
    const infected = sim.state('agents/people/infected');
    expect(infected.shape).toEqual([3000]);
    expect(infected.dtype).toBe('float32');
    infected.dispose();
    expect(() => sim.state('agents/people/age')).toThrow(/no such agent or environment path.*agents\/people\/infected/);
  });

  it('validates arguments when the simulation is created', () => {
    // @ts-expect-error ids are typed from the plugins: an unknown one does not compile either
    expect(() => runtime.createSimulation({ model: 'nope' })).toThrow(/unknown model 'nope'/);
    // @ts-expect-error likewise for populations
    expect(() => runtime.createSimulation({ model: 'network-sir', population: 'nyc' })).toThrow(/unknown population 'nyc'.*example\/random-graph/);
    expect(() => runtime.createSimulation({ model: 'network-sir', params: { beta: -1 } })).toThrow(/within \[0, 5\], received -1/);
    expect(() => runtime.createSimulation({ model: 'network-sir', params: { beta: 'x' } })).toThrow(/expected a finite number/);
    expect(() => runtime.createSimulation({ model: 'network-sir', params: { delta: 1 } })).toThrow(/no parameter 'delta'/);
    expect(() => runtime.createSimulation({ model: 'network-sir', agents: -5 })).toThrow(/agents: expected an integer in \[1, .*received -5/);
    expect(() => runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents: 60_000_000 })).toThrow(/limit of population 'example\/random-graph'/);
    expect(() => runtime.createSimulation({ model: 'network-sir', seed: -1 })).toThrow(/seed: expected an integer/);
    expect(() => runtime.createSimulation({ model: 'network-sir', seed: 1.5 })).toThrow(/seed/);
    expect(() => runtime.createSimulation(undefined as never)).toThrow(/expected \{ model/);
  });

  it('resolveSimulation checks as createSimulation does, with the same messages, and builds nothing', () => {
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    const bad: unknown[] = [{ model: 'nope' }, { model: 'network-sir', population: 'nyc' }, { model: 'network-sir', params: { beta: -1 } }, { model: 'network-sir', params: { delta: 1 } }, { model: 'network-sir', agents: -5 }, { model: 'network-sir', seed: 1.5 }, undefined];
    for (const options of bad) {
      const created = message(() => runtime.createSimulation(options as never));
      expect(created).not.toBe('no error');
      expect(message(() => runtime.resolveSimulation(options as never))).toBe(created);
    }
    const before = tf.memory().numTensors;
    const resolved = runtime.resolveSimulation({ model: 'network-sir', population: 'random-graph', agents: 500, seed: 4, params: { beta: 0.2 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(resolved).toMatchObject({ model: { id: 'example/network-sir' }, population: { id: 'example/random-graph' }, agents: 500, seed: 4 });
    expect(resolved.params).toEqual(sir(4, 500, { beta: 0.2 }).params);
    const composition = runtime.compose({ models: ['network-sir', 'random-walk'] });
    expect(message(() => composition.resolveSimulation({ params: { 'network-sir.beta': 9 } }))).toBe(message(() => composition.createSimulation({ params: { 'network-sir.beta': 9 } })));
    expect(composition.resolveSimulation({ seed: 2 }).params['network-sir.beta']).toBe(examplePlugin.models.find((m) => m.id === 'network-sir')!.parameters.beta!.default);
  });

  it('fails clearly when the population lacks a required network', async () => {
    const sim = runtime.createSimulation({ model: 'network-sir', agents: 10 });
    sims.push(sim);
    const e = await rejection(sim.ready());
    expect(e.message).toMatch(/needs the contact network 'contacts', but no population was given/);
  });

  it('applies setParams within bounds and from the next step', async () => {
    const quiet = sir(9, 3000, { beta: 0 });
    await quiet.run({ steps: 5 });
    expect(quiet.metrics().newInfections).toEqual([0, 0, 0, 0, 0]);
    expect(() => quiet.setParams({ beta: 9 })).toThrow(/within \[0, 5\]/);
    quiet.setParams({ beta: 2 });
    expect(quiet.params.beta).toBe(2);
    await quiet.run({ steps: 3 });
    expect(quiet.metrics().newInfections.slice(5).some((n) => n > 0)).toBe(true);
  });
});

describe('substep contracts', () => {
  const counter = (transition: Parameters<typeof defineSubstep>[0]['transition'], extra: Partial<Parameters<typeof defineSubstep>[0]> = {}) =>
    defineModel({
      id: 'counter',
      description: 'counts up',
      state: { agents: { things: { properties: { n: { dtype: 'float32', init: 0 }, k: { dtype: 'float32', init: 0 } } } }, environment: { total: { dtype: 'float32', init: 0 } } },
      substeps: [defineSubstep({ name: 'tick', reads: ['agents/things/n'], writes: ['agents/things/n'], transition, ...extra })],
      metrics: { meanN: meanOf('agents/things/n'), total: sumOf('env/total') },
    });
  const run = (model: ReturnType<typeof counter>) => {
    const rt = createRuntime({ plugins: [definePlugin({ name: 't', version: '1.0.0', models: [model] })], backend: 'cpu' });
    const sim = rt.createSimulation({ model: 'counter', agents: 4 });
    sims.push(sim);
    return sim;
  };

  it('rejects a write to an undeclared path, naming it', async () => {
    const sim = run(counter(() => ({ 'agents/things/k': tf.ones([4]) })));
    const e = await rejection(sim.step());
    expect(e.code).toBe('undeclared-write');
    expect(e.message).toMatch(/substep 'tick' of model 't\/counter' wrote 'agents\/things\/k', which it does not declare in writes \[agents\/things\/n\]/);
  });

  it('rejects a read of an undeclared path', async () => {
    const sim = run(counter((ctx) => ({ 'agents/things/n': ctx.get('agents/things/k') })));
    const e = await rejection(sim.step());
    expect(e.code).toBe('undeclared-read');
    expect(e.message).toMatch(/read 'agents\/things\/k'.*Add 'agents\/things\/k' to its reads/);
  });

  it('rejects updates of the wrong dtype or shape, with the fix', async () => {
    const wrongType = run(counter(() => ({ 'agents/things/n': tf.ones([4], 'int32') })));
    expect((await rejection(wrongType.step())).message).toMatch(/returned a int32 tensor of shape \[4\].*expected float32 of shape \[4\] \(use tf.cast/);
    const before = tf.memory().numTensors;
    const wrongShape = run(counter(() => ({ 'agents/things/n': tf.ones([5]) })));
    expect((await rejection(wrongShape.step())).code).toBe('invalid-update');
    wrongShape.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('awaits asynchronous act (e.g. an LLM policy) and disposes what it returned', async () => {
    const sim = run(counter((_ctx, _obs, act) => ({ 'agents/things/n': tf.add(_ctx.get('agents/things/n'), act as tf.Tensor) }), {
      observe: (ctx) => tf.sum(ctx.get('agents/things/n')),
      act: async () => {
        await new Promise((r) => setTimeout(r, 1));
        return tf.fill([4], 2);
      },
    }));
    await sim.step();
    const tensors = tf.memory().numTensors;
    await sim.step(3);
    expect(sim.metrics().meanN).toEqual([2, 4, 6, 8]);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('differentiable rollouts', () => {
  it('d(sum of meanAbsX)/d(speed) of a random walk equals its analytic value and finite differences', async () => {
    const sim = runtime.createSimulation({ model: 'random-walk', agents: 2000, seed: 11 });
    sims.push(sim);
    await sim.ready();
    const speed = sim.variables().speed!;
    const { value, grads } = tf.variableGrads(() => tf.sum(sim.trace(12).meanAbsX!) as tf.Scalar, [speed]);
    const total = value.dataSync()[0]!;
    const grad = grads[speed.name]!.dataSync()[0]!;
    // x is linear in speed when drift = 0, so the derivative is total / speed (speed = 1).
    expect(grad).toBeCloseTo(total, 3);
    const at = (s: number) => {
      sim.setParams({ speed: s });
      const out = tf.tidy(() => tf.sum(sim.trace(12).meanAbsX!).dataSync()[0]!);
      return out;
    };
    const h = 1e-2;
    const fd = (at(1 + h) - at(1 - h)) / (2 * h);
    expect(Math.abs(fd - grad) / Math.abs(grad)).toBeLessThan(1e-3);
    value.dispose();
    Object.values(grads).forEach((g) => g.dispose());
  });

  it('differentiates through message passing (network gradient vs finite differences)', async () => {
    const smooth = defineModel({
      id: 'smooth',
      description: 'expected infections, no sampling',
      state: {
        agents: { people: { properties: { p: { dtype: 'float32', init: (ctx) => Float32Array.from(ctx.uniform('p'), (u) => 0.2 * u) } } } },
        networks: { contacts: { agents: 'people' } },
      },
      parameters: { beta: { default: 0.3, bounds: [0, 5], learnable: true } },
      substeps: [defineSubstep({
        name: 'spread', reads: ['agents/people/p', 'networks/contacts'], writes: ['agents/people/p'],
        transition: (ctx) => {
          const p = ctx.get('agents/people/p');
          const hazard = tf.mul(ctx.params.beta!, ctx.messagePass('contacts', p));
          return { 'agents/people/p': tf.add(p, tf.mul(tf.sub(1, p), tf.sub(1, tf.exp(tf.neg(hazard))))) };
        },
      })],
      metrics: { expected: sumOf('agents/people/p') },
    });
    const rt = createRuntime({ plugins: [definePlugin({ name: 's', version: '1.0.0', models: [smooth], populations: [examplePlugin.populations[0]!] })], backend: 'cpu' });
    const sim = rt.createSimulation({ model: 'smooth', population: 'random-graph', agents: 500, seed: 2 });
    sims.push(sim);
    await sim.ready();
    const beta = sim.variables().beta!;
    const { grads } = tf.variableGrads(() => tf.sum(sim.trace(5).expected!) as tf.Scalar, [beta]);
    const grad = grads[beta.name]!.dataSync()[0]!;
    const at = (b: number) => {
      sim.setParams({ beta: b });
      return tf.tidy(() => tf.sum(sim.trace(5).expected!).dataSync()[0]!);
    };
    const h = 1e-2;
    const fd = (at(0.3 + h) - at(0.3 - h)) / (2 * h);
    expect(grad).toBeGreaterThan(0);
    expect(Math.abs(fd - grad) / grad).toBeLessThan(1e-2);
    Object.values(grads).forEach((g) => g.dispose());
  });

  it('trace needs a ready simulation', () => {
    const sim = runtime.createSimulation({ model: 'random-walk' });
    sims.push(sim);
    expect(() => sim.trace(3)).toThrow(/await sim.ready\(\)/);
  });
});

describe('populations feed initial state', () => {
  it('initialises properties from population attributes, with fallbacks', async () => {
    const aged = defineModel({
      id: 'aged',
      description: 'reads ages',
      state: { agents: { people: { properties: { age: { dtype: 'float32', init: { attribute: 'age' } }, income: { dtype: 'float32', init: { attribute: 'income', fallback: -1 } } } } } },
      substeps: [defineSubstep({ name: 'noop', reads: [], writes: [], transition: () => ({}) })],
      metrics: { meanAge: meanOf('agents/people/age'), meanIncome: meanOf('agents/people/income') },
    });
    const ages = definePopulation({ id: 'ages', description: 'three ages', defaultAgents: 3, build: () => ({ agents: { people: { count: 3, attributes: { age: [10, 20, 60] } } } }) });
    const rt = createRuntime({ plugins: [definePlugin({ name: 'p', version: '1.0.0', models: [aged], populations: [ages] })], backend: 'cpu' });
    const sim = rt.createSimulation({ model: 'aged', population: 'ages' });
    sims.push(sim);
    await sim.step();
    expect(sim.metrics()).toEqual({ meanAge: [30], meanIncome: [-1] });
  });

  it('rejects malformed population data before any model sees it', async () => {
    const broken = definePopulation({
      id: 'broken', description: 'bad CSR', defaultAgents: 3, networks: ['contacts'],
      build: () => ({ agents: { people: { count: 3 } }, networks: { contacts: { agents: 'people', rowPtr: new Int32Array([0, 1, 2, 3]), colIdx: new Int32Array([0, 1, 7]) } } }),
    });
    const rt = createRuntime({ plugins: [definePlugin({ name: 'b', version: '1.0.0', models: [examplePlugin.models[0]!], populations: [broken] })], backend: 'cpu' });
    const sim = rt.createSimulation({ model: 'network-sir', population: 'broken' });
    sims.push(sim);
    expect((await rejection(sim.ready())).message).toMatch(/population 'b\/broken' built invalid data at networks.contacts.colIdx\[2\]: expected an agent index in \[0, 3\), received 7/);
  });
});
