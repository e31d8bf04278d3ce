/**
 * The `ode` plugin: its ODE components and the models built on them.
 */
import { definePlugin } from '@populace/core';
import { seirModel, seirOde, sirModel, sirOde } from './compartmental.js';
import { fluNetwork } from './flu-network.js';
import { viralTcl } from './viral.js';

/**
 * The ODE plugin: models `ode/sir`, `ode/seir` (deterministic ODEs, counts of N = --agents) and
 * `ode/flu-network` (a network epidemic driven by each host's viral ODE); ODE components
 * `ode/sir`, `ode/seir` and `ode/viral-tcl` (Baccam et al. 2006).
 *
 * @example
 * ```ts
 * import { createRuntime } from '@populace/core';
 * import ode from '@populace/ode';
 * const sim = createRuntime({ plugins: [ode] }).createSimulation({ model: 'ode/seir', agents: 10_000 });
 * ```
 */
export const plugin = definePlugin({
  name: 'ode',
  version: '0.1.0',
  description: 'ODE components and models: deterministic SIR/SEIR, and a within-host viral ODE (Baccam et al. 2006) driving a network epidemic',
  models: [sirModel, seirModel, fluNetwork],
  odeComponents: [sirOde, seirOde, viralTcl],
});

export default plugin;
