/**
 * A runtime with only the H5N1 contributions, for this folder's tests (the
 * package plugin also carries the other epi models).
 */
import { createRuntime, definePlugin, type Simulation, type StatePath } from '@populace/core';
import { h5n1 } from './model.js';
import { usLayerFarms } from './population.js';

/** The H5N1 model and population under the plugin name `epi`, as the package plugin registers them. */
export const h5n1TestPlugin = definePlugin({ name: 'epi', version: '0.0.0', models: [h5n1], populations: [usLayerFarms] });

/** A cpu runtime with `h5n1TestPlugin`. */
export const h5n1Runtime = createRuntime({ plugins: [h5n1TestPlugin], backend: 'cpu' });

/** A simulation of epi/h5n1 on `farms` farms of us-layer-farms (or without a population when `population` is false). */
export function h5n1Sim(options: { farms: number; seed?: number; params?: Record<string, unknown>; population?: boolean }): Simulation {
  const base = { model: 'epi/h5n1', agents: options.farms, seed: options.seed ?? 1, params: options.params ?? {} } as const;
  return h5n1Runtime.createSimulation(options.population === false ? base : { ...base, population: 'epi/us-layer-farms' });
}

/** Sum of a series. */
export const total = (series: readonly number[]): number => series.reduce((a, b) => a + b, 0);

/** The values of one state path as numbers (the tensor is disposed). */
export function readState(sim: Simulation, path: StatePath): number[] {
  const t = sim.state(path);
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
}
