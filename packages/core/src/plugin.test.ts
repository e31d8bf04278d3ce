import { describe, expect, it } from 'vitest';
import { examplePlugin, networkSir, randomGraph, randomWalk } from './examples/plugin.js';
import { PopulaceError } from './errors.js';
import { definePlugin } from './plugin.js';
import { createRuntime } from './runtime.js';

function errorOf(fn: () => unknown): PopulaceError {
  try {
    fn();
  } catch (e) {
    if (PopulaceError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a PopulaceError');
}

describe('definePlugin', () => {
  it('is a pure, frozen declaration', () => {
    const p = definePlugin({ name: 'walks', version: '1.0.0', models: [randomWalk] });
    expect(Object.isFrozen(p)).toBe(true);
    expect(p.models.map((m) => m.id)).toEqual(['random-walk']);
    expect(p.requires).toEqual([]);
    expect(p.substeps).toEqual([]);
  });

  it('validates name, version, lists and duplicate ids', () => {
    expect(() => definePlugin({ name: 'Bad Name', version: '1.0.0' })).toThrow(/lowercase name/);
    expect(() => definePlugin({ name: 'x', version: 'one' })).toThrow(/semver/);
    expect(() => definePlugin({ name: 'x', version: '1.0.0', models: randomWalk as never })).toThrow(/models: expected an array/);
    const e = errorOf(() => definePlugin({ name: 'x', version: '1.0.0', models: [randomWalk, randomWalk] }));
    expect(e.code).toBe('invalid-definition');
    expect(e.message).toMatch(/unique ids.*"random-walk".*Rename/);
  });
});

describe('createRuntime registries', () => {
  const other = definePlugin({ name: 'other', version: '2.0.0', models: [networkSir], populations: [randomGraph] });

  it('namespaces ids and resolves bare names when unique', () => {
    const rt = createRuntime({ plugins: [examplePlugin] });
    expect(rt.models.ids()).toEqual(['example/network-sir', 'example/network-seir', 'example/random-walk']);
    expect(rt.models.get('network-sir').id).toBe('example/network-sir');
    expect(rt.models.get('example/network-sir').plugin).toBe('example');
    expect(rt.populations.get('random-graph').id).toBe('example/random-graph');
  });

  it('lists candidates for ambiguous bare ids and accepts full ids', () => {
    const rt = createRuntime({ plugins: [examplePlugin, other] });
    const e = errorOf(() => rt.models.get('network-sir'));
    expect(e.code).toBe('ambiguous-id');
    expect(e.message).toContain('example/network-sir, other/network-sir');
    expect(rt.models.get('other/network-sir').plugin).toBe('other');
    expect(rt.models.get('random-walk').id).toBe('example/random-walk');
  });

  it('lists known ids (and a suggestion) for unknown ids', () => {
    const rt = createRuntime({ plugins: [examplePlugin] });
    const e = errorOf(() => rt.models.get('network-sri'));
    expect(e.code).toBe('unknown-id');
    expect(e.message).toMatch(/unknown model 'network-sri'. Did you mean 'example\/network-sir'\? Known models: example\/network-sir, example\/network-seir, example\/random-walk/);
    expect(e.details.known).toEqual(['example/network-sir', 'example/network-seir', 'example/random-walk']);
  });

  it('throws on the same plugin twice and on duplicate full ids', () => {
    expect(errorOf(() => createRuntime({ plugins: [examplePlugin, examplePlugin] })).code).toBe('duplicate-id');
    const clash = definePlugin({ name: 'example', version: '1.0.0', models: [randomWalk] });
    expect(errorOf(() => createRuntime({ plugins: [examplePlugin, clash] })).message).toMatch(/given twice/);
  });

  it('throws when a required plugin is missing, naming the fix', () => {
    const needy = definePlugin({ name: 'needy', version: '1.0.0', requires: ['populations'] });
    const e = errorOf(() => createRuntime({ plugins: [needy] }));
    expect(e.code).toBe('missing-requirement');
    expect(e.message).toMatch(/requires plugin 'populations'.*Install it and add it to plugins/);
    expect(() => createRuntime({ plugins: [definePlugin({ name: 'populations', version: '1.0.0' }), needy] })).not.toThrow();
  });

  it('keeps registries per instance: two runtimes with different plugins coexist', () => {
    const a = createRuntime({ plugins: [examplePlugin] });
    const b = createRuntime({ plugins: [other] });
    expect(a.models.ids()).toEqual(['example/network-sir', 'example/network-seir', 'example/random-walk']);
    expect(b.models.ids()).toEqual(['other/network-sir']);
    expect(() => b.models.get('random-walk')).toThrow(/unknown model/);
  });

  it('rejects things that are not plugins and unknown backends', () => {
    expect(() => createRuntime({ plugins: [{ name: 'x' } as never] })).toThrow(/plugins\[0\]: expected a plugin made with definePlugin/);
    expect(() => createRuntime({ plugins: [], backend: 'gpu' as never })).toThrow(/backend: expected one of auto, cpu, wasm, tensorflow/);
    expect(() => createRuntime(undefined as never)).toThrow(/expected \{ plugins/);
  });

  it('describes models and populations as JSON-friendly data', () => {
    const rt = createRuntime({ plugins: [examplePlugin] });
    const d = rt.describeModel('network-sir');
    expect(d.parameters.beta).toMatchObject({ default: 0.05, bounds: [0, 5], learnable: true });
    expect(Object.keys(d.metrics)).toEqual(['S', 'I', 'R', 'newInfections']);
    expect(d.networks.contacts).toEqual({ agents: 'people', layer: 'contacts', optional: false, description: 'who can infect whom (in-contacts)' });
    expect(JSON.parse(JSON.stringify(d)).id).toBe('example/network-sir');
    expect(rt.populations.ids()).toEqual(['example/random-graph', 'example/hashed-random-graph']);
    expect(rt.describePopulation('random-graph')).toMatchObject({ id: 'example/random-graph', networks: ['contacts'], agentTypes: ['people'] });
  });
});
