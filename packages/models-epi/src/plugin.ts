/**
 * The `epi` plugin: its models, as a plain list.
 */
import { definePlugin } from '@populace/core';
import { seir, sir } from './compartmental.js';
import { covid } from './covid/model.js';
import { h5n1, usLayerFarms } from './h5n1/index.js';

/**
 * The epidemiology plugin: `epi/sir`, `epi/seir`, `epi/covid`, `epi/h5n1`, and the
 * `epi/us-layer-farms` population that `epi/h5n1` runs on.
 *
 * @example
 * ```ts
 * import { createRuntime } from '@populace/core';
 * import epi from '@populace/models-epi';
 * const sim = createRuntime({ plugins: [epi] }).createSimulation({ model: 'epi/sir', agents: 10_000, seed: 1 });
 * ```
 */
export const plugin = definePlugin({
  name: 'epi',
  version: '0.1.0',
  description: 'epidemiology models: SIR, SEIR, COVID-19 with testing, isolation and vaccination, and H5N1 across wild birds, layer farms and humans',
  models: [sir, seir, covid, h5n1],
  populations: [usLayerFarms],
});

export default plugin;
