/**
 * The built-in example plugin: `example/network-sir`, `example/network-seir`, `example/random-walk`
 * and the `example/random-graph` and `example/hashed-random-graph` populations. The CLI always includes it so a
 * fresh install has something to run.
 */
import { definePlugin } from '../plugin.js';
import { networkSeir } from './network-seir.js';
import { networkSir } from './network-sir.js';
import { hashedRandomGraph, randomGraph } from './random-graph.js';
import { randomWalk } from './random-walk.js';

export const examplePlugin = definePlugin({
  name: 'example',
  version: '0.1.0',
  description: 'built-in example models of @populace/core',
  models: [networkSir, networkSeir, randomWalk],
  populations: [randomGraph, hashedRandomGraph],
});

export default examplePlugin;
export { hashedRandomGraph, networkSeir, networkSir, randomGraph, randomWalk };
export { contactsKey, randomInContacts, RANDOM_GRAPH_DEGREE } from './random-graph.js';
