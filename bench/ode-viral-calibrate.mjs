#!/usr/bin/env node
/**
 * Calibrating a within-host parameter of `ode/flu-network` (viralDelta) from synthetic daily cases
 * (the model at viralDelta = 4, 1,000 agents, 35 days), from a start at 6, with the stochastic
 * derivative and with straight-through; prints every epoch. The CI version is
 * packages/ode/src/flu-network.test.ts.
 *
 *   node bench/ode-viral-calibrate.mjs
 */
import { calibrate, createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import ode from '@populace/ode';
const runtime = createRuntime({ plugins: [examplePlugin, ode] });
const base = { model: 'ode/flu-network', population: 'example/random-graph', agents: 1000, seed: 3 };
const fixed = { beta: 0.06, seedFraction: 0.01 };
const truth = runtime.createSimulation({ ...base, params: { ...fixed, viralDelta: 4 } });
const cases = (await truth.run({ steps: 35 })).metrics.newInfections;
console.log('total cases', cases.reduce((a, b) => a + b, 0));
for (const estimator of ['stochastic-derivative', 'straight-through']) {
  const sim = runtime.createSimulation({ ...base, params: { ...fixed, viralDelta: 6 } });
  const t0 = performance.now();
  let fit;
  try {
    fit = await calibrate(sim, { params: ['viralDelta'], observed: { newInfections: cases }, estimator, epochs: 12, learningRate: 0.1, patience: 12, onEpoch: (e) => console.log(estimator, e.epoch, e.loss.toFixed(1), e.params.viralDelta.toFixed(3)) });
  } catch (error) {
    console.log(estimator, 'failed:', error.message.split('. ')[0]);
    continue;
  }
  console.log(estimator, 'fitted', fit.params.viralDelta, 'loss', fit.loss, 'seconds', ((performance.now() - t0) / 1000).toFixed(1));
}
