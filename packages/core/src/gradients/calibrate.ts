/**
 * `calibrate`: fits a simulation's learnable parameters (or a neural network
 * that produces a time-varying parameter) to observed data by gradient
 * descent through whole simulated trajectories.
 */
import { nextTurn } from '../event-loop.js';
import { PopulaceError } from '../errors.js';
import type { ParamValue } from '../parameters.js';
import { SIMULATION_DEFINITION, type Simulation } from '../simulation.js';
import { tf } from '../tf.js';
import { describeValue } from '../validate.js';
import { isCountLoss, pointLoss, validateObserved, type LossSpec, type ObservedData } from './losses.js';
import { fromUnconstrained, toUnconstrained } from './reparameterize.js';
import { rolloutGradientsAsync, type RolloutGradientOptions, type RolloutGradientResult, type StepLoss } from './rollout-gradients.js';
import { learnableSpecs } from './learnable.js';
import { assertDifferentiable, withGradientDiagnosis } from './differentiability.js';
import { resolveEstimator, type GradientEstimator } from './estimators.js';
import { pathwiseGradientsAsync } from './pathwise.js';
import { stochasticDerivativesAsync } from './stochastic-derivative.js';

/**
 * What `calibrate` uses of a network: its trainable weights and `apply`. A
 * `LayersModel` of `@tensorflow/tfjs-layers` (an optional peer of core: install it to
 * build one, e.g. `tf.sequential` from that package) has this shape.
 */
export interface LayersModelLike {
  /** The weights gradient descent updates. */
  readonly trainableWeights: ReadonlyArray<{ read(): tf.Tensor }>;
  /** The network's forward pass. */
  apply(inputs: tf.Tensor): tf.Tensor | tf.Tensor[] | unknown;
}

/** A tfjs-layers network mapping features (one row per period) to a time-varying parameter. */
export interface NetworkParameter {
  /** Any tfjs-layers `LayersModel` (e.g. from `tf.sequential` of `@tensorflow/tfjs-layers`) whose output has one value per row of `features`. */
  readonly model: LayersModelLike;
  /** Features, one row per period of the parameter (e.g. weekly mobility). */
  readonly features: tf.Tensor2D | readonly (readonly number[])[];
  /** The time-varying parameter it produces; its output is mapped onto the parameter's bounds. */
  readonly param: string;
}

export interface EpochInfo {
  readonly epoch: number;
  readonly loss: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

export interface CalibrateOptions {
  /** Learnable parameters to fit (default: all learnable ones, less the network's). */
  readonly params?: readonly string[];
  /** Observed series by metric (one value per step from step 1; null where unobserved). */
  readonly observed: ObservedData;
  /** Default 'mse'. */
  readonly loss?: LossSpec;
  /** Relative weight of each observed metric (default 1). */
  readonly weights?: Readonly<Record<string, number>>;
  /** 'adam' (default), 'sgd', 'rmsprop', or any tf.Optimizer. */
  readonly optimizer?: 'adam' | 'sgd' | 'rmsprop' | tf.Optimizer;
  /** Step size in the unconstrained space (default 0.1 for parameters, 0.01 with a network). */
  readonly learningRate?: number;
  /** Default 100. */
  readonly epochs?: number;
  /** Stop when the best loss has not improved by this relative amount for `patience` epochs (default 1e-4, 15). */
  readonly tolerance?: number;
  readonly patience?: number;
  readonly checkpointEvery?: number;
  readonly network?: NetworkParameter;
  /**
   * Gradient estimator of each epoch (default 'straight-through': one reverse pass, a deterministic
   * descent direction for the same-seed objective, cheap enough per epoch; biased on contact
   * networks at long horizons, see GRADIENTS.md). 'stochastic-derivative' is unbiased and costs
   * about (steps + 1) / 2 forward runs per replicate per epoch; 'auto' picks as `sensitivity` does.
   */
  readonly estimator?: GradientEstimator | 'auto';
  /** Stochastic derivative: replicates per epoch (default 1). */
  readonly replicates?: number;
  /** Called after every epoch; return false to stop. */
  readonly onEpoch?: (info: EpochInfo) => void | boolean | Promise<void | boolean>;
  /** Stops between epochs, and during an epoch's stochastic derivative (that epoch is dropped): `stopped: 'aborted'` with the best parameters of the epochs before. */
  readonly signal?: AbortSignal;
}

export interface CalibrationResult {
  /** The best parameters found (also set on the simulation). */
  readonly params: Record<string, ParamValue>;
  readonly loss: number;
  /** Loss per epoch. */
  readonly history: number[];
  /** Metrics simulated with the fitted parameters (the simulation is left at that run). */
  readonly fit: Record<string, number[]>;
  readonly steps: number;
  readonly epochs: number;
  readonly stopped: 'epochs' | 'converged' | 'callback' | 'aborted';
  /** The gradient estimator the epochs used. */
  readonly estimator: GradientEstimator;
}

function makeOptimizer(choice: CalibrateOptions['optimizer'], lr: number): tf.Optimizer {
  if (typeof choice === 'object' && choice instanceof tf.Optimizer) return choice;
  if (choice === undefined || choice === 'adam') return tf.train.adam(lr);
  if (choice === 'sgd') return tf.train.sgd(lr);
  if (choice === 'rmsprop') return tf.train.rmsprop(lr);
  throw new PopulaceError('invalid-argument', `optimizer: expected 'adam', 'sgd', 'rmsprop' or a tf.Optimizer, received ${describeValue(choice)}.`);
}

/** The per-step loss over the observed points, each metric's loss averaged over its points. */
export function observedStepLoss(names: readonly string[], series: Map<string, (number | null)[]>, spec: LossSpec, weights: Readonly<Record<string, number>>): { stepLoss: StepLoss; constant: number } {
  const { loss, constant } = pointLoss(spec);
  let total = 0;
  const scale = new Map<string, number>();
  for (const [name, values] of series) {
    const n = values.filter((v) => v !== null).length;
    scale.set(name, (weights[name] ?? 1) / n);
    for (const v of values) if (v !== null) total += ((weights[name] ?? 1) / n) * constant(v);
  }
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    constant: total,
    stepLoss: (t, metrics) => {
      let acc: tf.Scalar | undefined;
      for (const [name, values] of series) {
        const y = values[t];
        if (y === null || y === undefined) continue;
        const term = tf.mul(scale.get(name)!, loss(metrics[index.get(name)!]!, y)) as tf.Scalar;
        acc = acc ? (tf.add(acc, term) as tf.Scalar) : term;
      }
      return acc;
    },
  };
}

/** The stochastic derivative of the loss: the pathwise reverse pass plus the jumps, added into its gradients. */
function withJumps(sim: Simulation, run: RolloutGradientOptions, stepLoss: StepLoss, names: readonly string[], replicates: number, signal: AbortSignal | undefined): Promise<RolloutGradientResult> {
  const params = Object.keys(run.params);
  const entries = params.flatMap((n) => Array.from({ length: run.params[n]!.size }, (_, i) => (run.params[n]!.rank === 0 ? { param: n } : { param: n, index: i })));
  const addJumps = (result: RolloutGradientResult, gradients: readonly number[]): RolloutGradientResult => {
    let k = 0;
    for (const n of params) {
      const size = run.params[n]!.size;
      const add = tf.tensor(gradients.slice(k, k + size), run.params[n]!.shape, 'float32');
      const sum = tf.add(result.grads[n]!, add);
      tf.dispose([add, result.grads[n]!]);
      result.grads[n] = sum;
      k += size;
    }
    return result;
  };
  // the loss of a trajectory: each step's loss read in one go, summed in float64 in step order (as the reverse pass's value)
  const objective = async (series: Readonly<Record<string, readonly number[]>>): Promise<number> => {
    const losses = tf.tidy(() => {
      const ls: tf.Tensor[] = [];
      for (let t = 0; t < run.steps; t++) {
        const l = stepLoss(t, names.map((n) => tf.scalar(series[n]![t]!)));
        if (l) ls.push(tf.reshape(l, [1]));
      }
      return ls.length === 0 ? tf.zeros([0]) : tf.concat(ls);
    });
    const values = await losses.data();
    losses.dispose();
    let total = 0;
    for (const v of values) total += v;
    return total;
  };
  return (async () => {
    const jumps = await stochasticDerivativesAsync(sim, { steps: run.steps, entries, objective, replicates, ...(signal ? { signal } : {}) });
    return addJumps(await pathwiseGradientsAsync(sim, run), jumps.gradients);
  })();
}

/**
 * Fits parameters by gradient descent through the simulator itself. Bounds are kept by
 * reparameterisation; randomness is common across epochs (the simulation's seed), so the
 * objective is deterministic.
 *
 * @example
 * ```ts
 * const fit = await calibrate(sim, { params: ['beta'], observed: { newInfections: cases }, epochs: 60 });
 * fit.params.beta; // the fitted transmission rate
 * ```
 */
export async function calibrate(sim: Simulation, options: CalibrateOptions): Promise<CalibrationResult> {
  // every option is checked before the population is built
  const definition = sim[SIMULATION_DEFINITION]();
  const specs = definition.parameters;
  const metricNames = Object.keys(definition.metrics);
  const network = options.network;
  const names = learnableSpecs(sim.model, specs, options.params, 'calibrate').filter((n) => n !== network?.param);
  if (names.length === 0 && !network) {
    throw new PopulaceError('invalid-argument', `calibrate: model '${sim.model}' has no learnable parameter to fit${options.params ? ' among those given' : ''}; declare one with learnable: true or pass a network.`);
  }
  const lossSpec = options.loss ?? 'mse';
  const { steps, series } = validateObserved(options.observed, metricNames, isCountLoss(lossSpec), 'calibrate');
  const epochs = options.epochs ?? 100;
  if (!Number.isInteger(epochs) || epochs < 1) throw new PopulaceError('invalid-argument', `calibrate: epochs expected a positive integer, received ${describeValue(epochs)}.`);
  const { stepLoss, constant } = observedStepLoss(metricNames, series, lossSpec, options.weights ?? {});
  const learningRate = options.learningRate ?? (network ? 0.01 : 0.1);
  if (!(typeof learningRate === 'number' && learningRate > 0 && Number.isFinite(learningRate))) {
    throw new PopulaceError('invalid-argument', `calibrate: learningRate expected a positive number, received ${describeValue(learningRate)}.`);
  }
  if (network) {
    const spec = specs[network.param];
    if (!spec || !Array.isArray(spec.default)) {
      throw new PopulaceError('invalid-argument', `calibrate: network.param '${network.param}' must be a time-varying parameter of '${sim.model}' (one with an array default).`);
    }
    const rows = network.features instanceof tf.Tensor ? network.features.shape[0] : network.features?.length;
    if (rows !== spec.default.length) {
      throw new PopulaceError('invalid-argument', `calibrate: network.features has ${String(rows)} rows; parameter '${network.param}' has ${spec.default.length} periods.`);
    }
  }
  const estimator = resolveEstimator(options.estimator ?? 'straight-through', definition, sim.population, 'calibrate');
  await sim.ready();
  const target = { where: 'calibrate', params: [...names, ...(network ? [network.param] : [])], metrics: [...series.keys()] };
  await assertDifferentiable(sim, target);
  // tensors from here on are freed in the finally below
  const optimizer = makeOptimizer(options.optimizer, learningRate);
  const features = network ? (network.features instanceof tf.Tensor ? tf.clone(network.features) : tf.tensor2d(network.features.map((r) => [...r]))) : undefined;
  const start = sim.params;
  const u = Object.fromEntries(names.map((n) => {
    const v = start[n]!;
    const bounds = specs[n]!.bounds;
    const init = typeof v === 'number' ? tf.scalar(toUnconstrained(v, bounds)) : tf.tensor1d(v.map((x) => toUnconstrained(x, bounds)));
    const variable = tf.variable(init, true);
    init.dispose();
    return [n, variable];
  }));
  const netVars = network ? network.model.trainableWeights.map((w) => w.read() as tf.Variable) : [];
  const theta = (): Record<string, tf.Tensor> => {
    const out: Record<string, tf.Tensor> = Object.fromEntries(names.map((n) => [n, fromUnconstrained(u[n]!, specs[n]!.bounds)]));
    if (network) out[network.param] = tf.tidy(() => fromUnconstrained(tf.reshape(network.model.apply(features!) as tf.Tensor, [-1]), specs[network.param]!.bounds));
    return out;
  };
  const values = async (t: Record<string, tf.Tensor>): Promise<Record<string, ParamValue>> =>
    Object.fromEntries(await Promise.all(Object.entries(t).map(async ([n, x]) => { const v = await x.data(); return [n, x.rank === 0 ? v[0]! : Array.from(v)] as const; })));

  const history: number[] = [];
  let best = { loss: Infinity, params: {} as Record<string, ParamValue> };
  let sinceImprovement = 0;
  let stopped: CalibrationResult['stopped'] = 'epochs';
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      if (options.signal?.aborted) {
        stopped = 'aborted';
        break;
      }
      const current = theta();
      const run = { steps, params: current, loss: () => stepLoss, ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}), ...(options.signal ? { signal: options.signal } : {}) };
      let result: RolloutGradientResult;
      try {
        // the asynchronous drivers on every backend (the same draws and gradients as the synchronous
        // ones; webgpu reads its device asynchronously only): the event loop gets turns and the signal
        // is checked during the epoch
        result = await withGradientDiagnosis(sim, target, options.checkpointEvery ?? Math.ceil(Math.sqrt(steps)), () => (estimator === 'straight-through' ? rolloutGradientsAsync(sim, run) : withJumps(sim, run, stepLoss, metricNames, options.replicates ?? 1, options.signal)));
      } catch (error) {
        tf.dispose(Object.values(current));
        // aborted during an epoch's stochastic derivative: the best parameters of the epochs before
        if (options.signal?.aborted && PopulaceError.isInstance(error) && error.code === 'aborted') {
          stopped = 'aborted';
          break;
        }
        throw error;
      }
      const loss = result.value + constant;
      const params = await values(current);
      history.push(loss);
      if (loss < best.loss * (1 - (options.tolerance ?? 1e-4)) || best.loss === Infinity) sinceImprovement = 0;
      else sinceImprovement += 1;
      if (loss < best.loss) best = { loss, params };
      // chain rule from d loss / d theta to the unconstrained variables and network weights
      const { value: linearised, grads } = tf.variableGrads(() => {
        const t = theta();
        return tf.addN(Object.keys(t).map((n) => tf.sum(tf.mul(t[n]!, result.grads[n]!)))) as tf.Scalar;
      }, [...Object.values(u), ...netVars]);
      optimizer.applyGradients(grads);
      tf.dispose([linearised, ...Object.values(current), ...Object.values(result.grads), ...Object.values(grads)]);
      const verdict = await options.onEpoch?.({ epoch, loss, params });
      if (verdict === false) {
        stopped = 'callback';
        break;
      }
      if (sinceImprovement >= (options.patience ?? 15)) {
        stopped = 'converged';
        break;
      }
      await nextTurn();
    }
  } finally {
    tf.dispose(Object.values(u));
    features?.dispose();
    if (!(typeof options.optimizer === 'object' && options.optimizer instanceof tf.Optimizer)) optimizer.dispose();
  }
  if (history.length === 0) throw new PopulaceError('aborted', 'calibrate: aborted before the first epoch.');
  sim.setParams(best.params);
  await sim.reset();
  const { metrics } = await sim.run({ steps });
  return { params: { ...sim.params }, loss: best.loss, history, fit: metrics, steps, epochs: history.length, stopped, estimator };
}
