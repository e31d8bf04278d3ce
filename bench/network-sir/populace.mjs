// network-sir on Populace: example/network-sir over example/random-graph through the public API.
// Child of bench/run.mjs: node bench/network-sir/populace.mjs --agents N --steps T --budget S --backend cpu|wasm
import { createRuntime, rolloutGradients, tf } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { BETA, GAMMA, Row, SEED_FRACTION, childOptions, fits, timed } from './workload.mjs';

/** fwd+bwd time / forward time assumed when deciding whether the gradient fits the budget (measured: 4x at 100k, 9x at 1M). */
const FWD_BWD_PER_FWD = 10;

const options = childOptions('cpu');
const { agents, steps, budgetS, backend } = options;
const row = new Row('populace', options);

const runtime = createRuntime({ plugins: [examplePlugin], backend });
const sim = runtime.createSimulation({ model: 'network-sir', population: 'random-graph', agents, seed: 1, params: { beta: BETA, gamma: GAMMA, seedFraction: SEED_FRACTION } });
await sim.ready();

// Warm-up step, then back to day 0 and time `steps` steps.
const warm = await timed(() => sim.step(1));
await sim.reset();
if (fits(row, 'forward', (warm.ms * steps) / 1000, budgetS)) {
  const fwd = await timed(() => sim.run({ steps, onProgress: () => row.peak.sample() }));
  row.forward(fwd.ms / steps);
  row.report('forward');

  if (fits(row, 'fwd+bwd', (row.fields.fwdMsPerStep * steps * FWD_BWD_PER_FWD) / 1000, budgetS)) {
    const params = { beta: tf.scalar(BETA), gamma: tf.scalar(GAMMA) };
    const { ms, value: result } = await timed(() =>
      rolloutGradients(sim, {
        steps,
        params,
        loss: (forward) => {
          const index = Object.keys(forward).indexOf('newInfections');
          return (_t, metrics) => (row.peak.sample(), metrics[index]);
        },
      }),
    );
    row.fields.fwdBwdMsPerStep = ms / steps;
    row.extra.dBeta = result.grads.beta.dataSync()[0];
    row.extra.dGamma = result.grads.gamma.dataSync()[0];
  }
}
row.report('done');
process.exit(0);
