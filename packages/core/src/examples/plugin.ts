/**
 * The built-in example plugin: `example/network-sir`, `example/random-walk`
 * and the `example/random-graph` population. The CLI always includes it so a
 * fresh install has something to run.
 */
import { definePlugin } from '../plugin.js';
import { networkSir } from './network-sir.js';
import { randomGraph } from './random-graph.js';
import { randomWalk } from './random-walk.js';

export const examplePlugin = definePlugin({
  name: 'example',
  version: '0.1.0',
  description: 'built-in example models of @populace/core',
  models: [networkSir, randomWalk],
  populations: [randomGraph],
});

export default examplePlugin;
export { networkSir, randomGraph, randomWalk };
export { randomInContacts, RANDOM_GRAPH_DEGREE } from './random-graph.js';
