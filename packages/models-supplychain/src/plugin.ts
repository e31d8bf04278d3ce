/**
 * The `supplychain` plugin: its models, as a plain list.
 */
import { definePlugin } from '@populace/core';
import { eggs } from './eggs.js';
import { labor } from './labor.js';

/**
 * The supply-chain plugin: `supplychain/eggs` and `supplychain/labor`.
 *
 * @example
 * ```ts
 * import { createRuntime } from '@populace/core';
 * import supplychain from '@populace/models-supplychain';
 * const sim = createRuntime({ plugins: [supplychain] }).createSimulation({ model: 'supplychain/eggs', seed: 1 });
 * ```
 */
export const plugin = definePlugin({
  name: 'supplychain',
  version: '0.1.0',
  description: 'supply-chain models: the US table-egg market (flocks, culls and restocking, inventories, wholesale and retail prices) and a city labour market in an epidemic (willingness to work, closures, unemployment and claims by borough and industry)',
  models: [eggs, labor],
});

export default plugin;
