/**
 * The conformance suite every plugin runs on itself (the way tfjs backends
 * re-run core's op tests): ids namespaced, parameter defaults within bounds,
 * every model runs a few steps deterministically with finite metrics and
 * writes only what it declares, its float state stays finite, a model with
 * learnable parameters has a finite non-zero gradient for each of them, no
 * tensors leak, populations build deterministically into valid data.
 */
import { PopulaceError } from '../errors.js';
import type { ModelDefinition } from '../model.js';
import { isPluginDefinition, type PluginDefinition } from '../plugin.js';
import { validatePopulationData, type PopulationData } from '../population.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { tf } from '../tf.js';
import { checkLearnableGradients, firstNonFiniteState, type GradientCheckOptions } from './numeric-checks.js';

export interface ConformanceOptions {
  /** Steps each model runs (default 3). */
  readonly steps?: number;
  /** Agents per run and population build (default 200). */
  readonly agents?: number;
  readonly seed?: number;
  /** Population to run a model on, by model id (default: none if the model needs no network, else the first population that has its networks). */
  readonly populations?: Readonly<Record<string, string>>;
  /** Plugins this one requires. */
  readonly requires?: readonly PluginDefinition[];
  /**
   * How the learnable-parameter check runs, by model id: the output, parameter values and steps of
   * its run, and the learnable parameters not expected to act in it.
   */
  readonly gradients?: Readonly<Record<string, GradientCheckOptions>>;
}

export interface ConformanceCheck {
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed; on a pass, a note worth showing (e.g. metrics without a gradient). */
  readonly message?: string;
}

export interface ConformanceReport {
  readonly plugin: string;
  readonly checks: readonly ConformanceCheck[];
  readonly failures: readonly ConformanceCheck[];
}

function pickPopulation(runtime: Runtime, model: ModelDefinition, id: string, options: ConformanceOptions): string | undefined {
  const chosen = options.populations?.[id];
  if (chosen) return chosen;
  const needed = Object.entries(model.state.networks ?? {}).filter(([, n]) => !n.optional).map(([name, n]) => n.layer ?? name);
  if (needed.length === 0) return undefined;
  const match = runtime.populationsFor(id)[0];
  if (!match) throw new PopulaceError('invalid-argument', `no population in the runtime fits '${id}' (it needs networks [${needed.join(', ')}]); pass options.populations['${id}'].`);
  return match;
}

function fingerprint(data: PopulationData): string {
  let h = 0;
  const feed = (arr: ArrayLike<number>) => {
    for (let i = 0; i < arr.length; i++) h = (Math.imul(h, 31) + Math.round(Number(arr[i]) * 1e6)) | 0;
  };
  for (const [type, t] of Object.entries(data.agents)) {
    feed([t.count, type.length]);
    for (const values of Object.values(t.attributes ?? {})) feed(values);
  }
  for (const net of Object.values(data.networks ?? {})) {
    if (net.kind === 'hashed') {
      feed([net.degree, net.key]);
      continue;
    }
    feed(net.rowPtr);
    feed(net.colIdx);
    if (net.weights) feed(net.weights);
  }
  return String(h);
}

async function check(checks: ConformanceCheck[], name: string, fn: () => unknown): Promise<void> {
  try {
    const note = await fn();
    checks.push({ name, passed: true, ...(typeof note === 'string' ? { message: note } : {}) });
  } catch (error) {
    checks.push({ name, passed: false, message: (error as Error).message });
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/**
 * Runs the conformance checks on a plugin and returns a report (it never throws for a failing check).
 *
 * @example
 * ```ts
 * import { checkPluginConformance } from '@populace/core/testing';
 * it('conforms', async () => {
 *   const report = await checkPluginConformance(plugin);
 *   expect(report.failures).toEqual([]);
 * });
 * ```
 */
export async function checkPluginConformance(plugin: PluginDefinition, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const checks: ConformanceCheck[] = [];
  const steps = options.steps ?? 3;
  const agents = options.agents ?? 200;
  const seed = options.seed ?? 7;
  await check(checks, 'manifest is a frozen plugin made with definePlugin', () => {
    assert(isPluginDefinition(plugin) && Object.isFrozen(plugin), 'expected the value returned by definePlugin');
  });
  let runtime: Runtime | undefined;
  await check(checks, 'registers in a runtime', async () => {
    const created: Runtime = createRuntime({ plugins: [...(options.requires ?? []), plugin], backend: 'cpu' });
    await created.ready();
    runtime = created;
  });
  if (!runtime) return { plugin: plugin.name, checks, failures: checks.filter((c) => !c.passed) };
  const rt = runtime;
  const own = [...rt.models.list(), ...rt.populations.list()].filter((e) => e.plugin === plugin.name);
  await check(checks, 'ids are namespaced by the plugin name', () => {
    for (const e of own) assert(e.id === `${plugin.name}/${e.id.slice(plugin.name.length + 1)}` && !e.id.slice(plugin.name.length + 1).includes('/'), `id '${e.id}' is not '${plugin.name}/<name>'`);
  });
  for (const { id, definition: model } of rt.models.list().filter((e) => e.plugin === plugin.name)) {
    await check(checks, `${id}: parameter defaults within bounds`, () => {
      for (const [name, p] of Object.entries(model.parameters)) {
        const [lo, hi] = p.bounds ?? [-Infinity, Infinity];
        for (const v of Array.isArray(p.default) ? p.default : [p.default]) assert(v >= lo && v <= hi, `parameter '${name}' default ${v} outside [${lo}, ${hi}]`);
      }
      rt.describeModel(id);
    });
    await check(checks, `${id}: runs ${steps} steps deterministically, writes within its schema, leaks no tensors`, async () => {
      const population = pickPopulation(rt, model, id, options);
      const before = tf.memory().numTensors;
      const runOnce = async () => {
        const sim = rt.createSimulation({ model: id, ...(population ? { population } : {}), agents, seed });
        try {
          const { metrics } = await sim.run({ steps });
          return metrics;
        } finally {
          sim.dispose();
        }
      };
      const a = await runOnce();
      const b = await runOnce();
      for (const [name, series] of Object.entries(a)) {
        assert(series.length === steps, `metric '${name}' has ${series.length} values after ${steps} steps`);
        assert(series.every(Number.isFinite), `metric '${name}' has a non-finite value: [${series.join(', ')}]`);
        assert(JSON.stringify(series) === JSON.stringify(b[name]), `metric '${name}' differs between two runs with seed ${seed}`);
      }
      const after = tf.memory().numTensors;
      assert(after === before, `${after - before} tensors leaked by a create-run-dispose cycle`);
    });
    const recipe = () => ({ runtime: rt, model: id, population: pickPopulation(rt, model, id, options), agents, seed });
    await check(checks, `${id}: float state stays finite over ${steps} steps`, async () => {
      const found = await firstNonFiniteState(recipe(), model, steps);
      assert(found === undefined, found!);
    });
    if (Object.values(model.parameters).some((p) => p.learnable)) {
      await check(checks, `${id}: every learnable parameter has a finite, non-zero gradient`, async () => {
        const result = await checkLearnableGradients(recipe(), model, steps, options.gradients?.[id]);
        assert(result.failure === undefined, result.failure!);
        return result.note;
      });
    }
  }
  for (const { id, definition: pop } of rt.populations.list().filter((e) => e.plugin === plugin.name)) {
    await check(checks, `${id}: builds deterministically into valid data`, async () => {
      const size = Math.min(agents, pop.maxAgents);
      const a = validatePopulationData(await pop.build({ agents: size, seed }), id);
      const b = validatePopulationData(await pop.build({ agents: size, seed }), id);
      assert(fingerprint(a) === fingerprint(b), `two builds with seed ${seed} differ`);
      for (const net of pop.networks) assert(a.networks?.[net], `declares network '${net}' but did not build it`);
    });
  }
  return { plugin: plugin.name, checks, failures: checks.filter((c) => !c.passed) };
}
