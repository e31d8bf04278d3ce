// network-sir written op by op with stock tfjs (tfjs-core, the version @populace/core uses, with its stock gradients,
// cpu backend): what a tfjs user writes without Populace's kernels. Gradients by tf.variableGrads
// over the whole trajectory (one tape, no checkpointing).
// Child of bench/run.mjs: node bench/network-sir/tfjs-ops.mjs --agents N --steps T --budget S
//
// The segment sum over each agent's contacts is tf.reshape([N, K]) + tf.sum(axis 1), which relies on
// every agent having exactly K contacts. The general op, tf.unsortedSegmentSum, is O(E * N) on the cpu
// backend (one mask over all E entries per segment: 3.6 s for 2,000 agents), so it cannot run at
// these sizes; the backward pass meets it anyway as the gradient of tf.gather.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initialInfected, randomCsr } from './graph.mjs';
import { BETA, DEGREE, GAMMA, Row, SEED_FRACTION, childOptions, fits, timed } from './workload.mjs';

/** Seconds per (agent x edge) of the backward pass, dominated by tf.gather's gradient (tf.unsortedSegmentSum) on cpu: 40-150 ns measured at 1,000-4,000 agents. */
const GATHER_GRAD_S_PER_AGENT_EDGE = 75e-9;

const options = childOptions('cpu');
const { agents: N, steps, budgetS } = options;
const row = new Row('tfjs-ops', options);

// The tfjs-core and cpu backend that @populace/core depends on, resolved from there, with tfjs-core's own
// gradient configs and chained ops (core's dist/tf-registrations.js, bundled from tfjs-core as the tfjs
// union does): stock ops only, nothing of Populace's kernels is imported.
const coreEntry = import.meta.resolve('@populace/core');
const fromCore = createRequire(fileURLToPath(coreEntry));
const tfModule = await import(pathToFileURL(fromCore.resolve('@tensorflow/tfjs-core')).href);
await import(pathToFileURL(fromCore.resolve('@tensorflow/tfjs-backend-cpu')).href);
await import(new URL('tf-registrations.js', coreEntry).href);
const tf = tfModule.default ?? tfModule;
tf.env().set('PROD', true); // silences tfjs's "install tfjs-node" banner, as @populace/core does; no effect on speed
await tf.setBackend(options.backend);
await tf.ready();

const { colIdx } = randomCsr(N, DEGREE, 1);
const contacts = tf.tensor1d(colIdx, 'int32');
const infected0 = initialInfected(N, SEED_FRACTION, 1);
const initial = () => {
  const I = tf.tensor1d(infected0);
  return { S: tf.sub(1, I), I, R: tf.zerosLike(I) };
};

/** x = 1[u < p] with dx/dp := 1 (straight-through); p and u have the same shape. */
const bernoulli = tf.customGrad((p, u) => ({ value: tf.cast(tf.less(u, p), 'float32'), gradFunc: (dy) => [dy, tf.zerosLike(u)] }));

/** One day: returns the next state and the day's new infections (a scalar). */
function step({ S, I, R }, beta, gamma, t) {
  const pressure = tf.sum(tf.reshape(tf.gather(I, contacts), [N, DEGREE]), 1);
  const pInfect = tf.sub(1, tf.exp(tf.neg(tf.mul(beta, pressure))));
  const infected = tf.mul(bernoulli(pInfect, tf.randomUniform([N], 0, 1, 'float32', 2 * t + 1)), S);
  const recovered = tf.mul(bernoulli(tf.mul(gamma, tf.onesLike(I)), tf.randomUniform([N], 0, 1, 'float32', 2 * t + 2)), I);
  return { state: { S: tf.sub(S, infected), I: tf.sub(tf.add(I, infected), recovered), R: tf.add(R, recovered) }, newInfections: tf.sum(infected) };
}

/** Forward without a tape, reading each day's new infections as Populace's metrics do. */
function forward(days) {
  const beta = tf.scalar(BETA);
  const gamma = tf.scalar(GAMMA);
  let state = initial();
  for (let t = 0; t < days; t++) {
    const next = tf.tidy(() => {
      const r = step(state, beta, gamma, t);
      r.newInfections.dataSync();
      return r.state;
    });
    Object.values(state).forEach((x) => x.dispose());
    state = next;
    row.peak.sample();
  }
  Object.values(state).forEach((x) => x.dispose());
}

const warm = await timed(() => forward(1));
if (fits(row, 'forward', (warm.ms * steps) / 1000, budgetS)) {
  const fwd = await timed(() => forward(steps));
  row.forward(fwd.ms / steps);
  row.report('forward');

  const backwardS = GATHER_GRAD_S_PER_AGENT_EDGE * N * N * DEGREE * steps;
  if (fits(row, 'fwd+bwd', backwardS + (row.fields.fwdMsPerStep * steps) / 1000, budgetS)) {
    const beta = tf.variable(tf.scalar(BETA));
    const gamma = tf.variable(tf.scalar(GAMMA));
    const { ms, value: grads } = await timed(() => {
      const { grads: g } = tf.variableGrads(() => {
        let state = initial();
        let total = tf.scalar(0);
        for (let t = 0; t < steps; t++) {
          const r = step(state, beta, gamma, t);
          state = r.state;
          total = tf.add(total, r.newInfections);
          row.peak.sample();
        }
        return total;
      }, [beta, gamma]);
      return [g[beta.name].dataSync()[0], g[gamma.name].dataSync()[0]];
    });
    row.fields.fwdBwdMsPerStep = ms / steps;
    [row.extra.dBeta, row.extra.dGamma] = grads;
  }
}
row.report('done');
process.exit(0);
