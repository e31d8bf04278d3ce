/**
 * Reverse-mode gradients through a whole simulated trajectory, with
 * checkpointing: the forward pass keeps the state only every k steps; the
 * backward pass walks the segments from the last to the first, re-running
 * each segment on the tape from its checkpoint (counter-based randomness makes
 * the re-run identical) and carrying the cotangent of the state between
 * segments. Memory holds ceil(T / k) checkpoints plus one segment's tape
 * instead of T steps of tape; time is about one extra forward pass.
 */
import { PopulaceError } from '../errors.js';
import { abortedBy, turnTaker } from '../event-loop.js';
import { HostReads, readsAsyncOnly } from '../host-reads.js';
import type { EventHook } from '../kernels/ops/event-hook.js';
import { SIMULATION_INTERNALS, type Simulation } from '../simulation.js';
import type { StateMap } from '../step-engine.js';
import { tf } from '../tf.js';

/** The loss contribution of one step from its metric scalars (in the engine's metric order), or undefined. */
export type StepLoss = (step: number, metrics: readonly tf.Scalar[]) => tf.Scalar | undefined;

export interface RolloutGradientOptions {
  /** Steps to simulate from the initial state. */
  readonly steps: number;
  /** Parameter tensors to use and differentiate with respect to (others keep the simulation's values). */
  readonly params: Readonly<Record<string, tf.Tensor>>;
  /** Builds the per-step loss once the forward metrics are known (e.g. to locate a peak). */
  readonly loss: (forward: Readonly<Record<string, readonly number[]>>) => StepLoss;
  /** Steps between checkpoints; default ceil(sqrt(steps)). 1 keeps every state, `steps` keeps one. */
  readonly checkpointEvery?: number;
  /**
   * Stops the computation with core's `aborted` error (no gradients, no tensors kept) when it
   * aborts: checked between the forward steps and between the backward segments. The asynchronous
   * versions also give the event loop a turn there every few milliseconds.
   */
  readonly signal?: AbortSignal;
}

export interface RolloutGradientResult {
  /** The loss of the trajectory. */
  readonly value: number;
  /** d loss / d params[name], same shapes (the caller disposes them). */
  readonly grads: Record<string, tf.Tensor>;
  /** The forward trajectory's metrics. */
  readonly metrics: Record<string, number[]>;
  readonly checkpointEvery: number;
}

function cloneState(state: StateMap): StateMap {
  return new Map([...state].map(([path, t]) => [path, tf.clone(t)]));
}

function disposeState(state: StateMap | undefined): void {
  if (state) for (const t of state.values()) t.dispose();
}

/**
 * Runs `steps` steps from the initial state and returns the loss and its gradients with respect
 * to `params`, from one reverse pass. Every substep must act synchronously.
 */
export function rolloutGradients(sim: Simulation, options: RolloutGradientOptions): RolloutGradientResult {
  if (tf.getBackend() === 'webgpu') {
    throw new PopulaceError('backend-failed', "backend 'webgpu': rolloutGradients (calibrate, sensitivity) reads the GPU synchronously, and Node reads it asynchronously only. Use the cpu backend, or rolloutGradientsAsync from the API.", { details: { backend: 'webgpu' } });
  }
  const run = rollout(sim, options, true);
  for (let request = run.next(); ; ) {
    if (request.done === true) return request.value;
    const t = request.value;
    if (options.signal?.aborted) {
      const error = abortedBy(options.signal, ABORTED);
      if (t instanceof tf.Tensor) t.dispose();
      run.throw(error);
      throw error;
    }
    // (with synchronous reads the rollout yields promises only to mark turns: nothing to wait for)
    request = run.next(t instanceof tf.Tensor ? readOrThrow(run, t, () => t.dataSync()) : []);
  }
}

const ABORTED = 'rolloutGradients: aborted before the reverse pass was complete; no gradients.';

/** `read()`, then disposes the tensor; a failed read is thrown into the generator so that it frees what it holds. */
function readOrThrow<T>(run: Generator<tf.Tensor | Promise<void>, RolloutGradientResult, ArrayLike<number>>, t: tf.Tensor, read: () => T): T {
  try {
    return read();
  } catch (error) {
    run.throw(error);
    throw error;
  } finally {
    t.dispose();
  }
}

/**
 * {@link rolloutGradients} with asynchronous device reads, for every backend including webgpu
 * (whose device Node can read only asynchronously): the same draws, loss and gradients. It gives
 * the event loop a turn every few milliseconds between steps and between backward segments (a
 * server stays responsive, `signal` can stop it). On webgpu the forward pass runs every step off
 * the tape first, so the last segment is computed once more than on backends that read synchronously.
 *
 * @example
 * ```ts
 * const { value, grads } = await rolloutGradientsAsync(sim, { steps: 30, params: { beta: tf.scalar(0.3) }, loss: () => (t, [i]) => i });
 * ```
 */
export async function rolloutGradientsAsync(sim: Simulation, options: RolloutGradientOptions): Promise<RolloutGradientResult> {
  return rolloutGradientsWithHook(sim, options, undefined);
}

/** @internal {@link rolloutGradientsAsync} with an event hook active while the tape re-runs each substep (pathwise.ts). */
export async function rolloutGradientsWithHook(sim: Simulation, options: RolloutGradientOptions, segmentHook: EventHook | undefined): Promise<RolloutGradientResult> {
  // synchronous reads inside the tape where the backend has them: the same computation as rolloutGradients
  const run = rollout(sim, options, !readsAsyncOnly(), segmentHook);
  const checkpoint = turnTaker(options.signal, ABORTED);
  for (let request = run.next(); ; ) {
    if (request.done === true) return request.value;
    const t = request.value;
    let values: ArrayLike<number> = [];
    try {
      await checkpoint();
      if (t instanceof tf.Tensor) values = (await t.data()) as ArrayLike<number>;
      else await t;
    } catch (error) {
      run.throw(error);
      throw error;
    } finally {
      if (t instanceof tf.Tensor) t.dispose();
    }
    request = run.next(values);
  }
}

/**
 * The rollout as a generator that yields each tensor it must read and receives its values back
 * (the drivers above read synchronously or not), and a resolved promise before each backward
 * segment (a point where a driver may give the event loop a turn). `sync`: the last segment runs
 * on the tape during the forward pass, reading its metrics synchronously inside it. Without `sync`
 * it also yields the promises of a step waiting for the host copies of its parameters and
 * environment (webgpu: host-reads.ts), which the tape re-runs replay from the forward pass's log.
 */
function* rollout(sim: Simulation, options: RolloutGradientOptions, sync: boolean, segmentHook?: EventHook): Generator<tf.Tensor | Promise<void>, RolloutGradientResult, ArrayLike<number>> {
  const { steps } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new PopulaceError('invalid-argument', `steps: expected a positive integer, received ${String(steps)}.`);
  const k = options.checkpointEvery ?? Math.max(1, Math.ceil(Math.sqrt(steps)));
  if (!Number.isInteger(k) || k < 1) throw new PopulaceError('invalid-argument', `checkpointEvery: expected a positive integer, received ${String(k)}.`);
  const internals = sim[SIMULATION_INTERNALS]();
  const { engine } = internals;
  const names = engine.metricNames;
  const paramNames = Object.keys(options.params);
  for (const name of paramNames) {
    if (options.params[name]!.dtype !== 'float32') throw new PopulaceError('invalid-argument', `parameter '${name}' must be a float32 tensor to be differentiated.`);
  }
  const withOverrides = (overrides: readonly tf.Tensor[]): Record<string, tf.Tensor> => ({
    ...internals.paramTensors(),
    ...Object.fromEntries(paramNames.map((n, i) => [n, overrides[i]!])),
  });

  // Forward: no tape; keep a checkpoint every k steps and the metrics. The last segment runs on
  // the tape straight away (its loss is built once the whole series is known), so only the
  // earlier segments are computed twice.
  const forwardParams = withOverrides(paramNames.map((n) => options.params[n]!));
  const series: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const record = (values: ArrayLike<number>) => names.forEach((n, j) => series[n]!.push(values[j]!));
  // Without synchronous reads every segment runs on the tape in the backward pass only.
  const lastStart = sync ? Math.floor((steps - 1) / k) * k : steps;
  const checkpoints: StateMap[] = [];
  const grads: Record<string, tf.Tensor> = Object.fromEntries(paramNames.map((n) => [n, tf.zerosLike(options.params[n]!)]));
  let stepLoss: StepLoss | undefined;
  let cotangent: Map<string, tf.Tensor> | undefined;
  const host = sync ? undefined : new HostReads('fetch', true);

  /**
   * One segment [start, end) on the tape from `checkpoint`: adds d(loss of the segment + carried
   * cotangent . end state)/d params to `grads` and returns d/d(start state) as the next cotangent.
   * `onMetrics` sees each step's metrics (the last segment records the series with it).
   */
  const segment = (checkpoint: StateMap, start: number, end: number, onMetrics?: (metrics: tf.Scalar[]) => void): void => {
    const floatPaths = [...checkpoint.keys()].filter((p) => checkpoint.get(p)!.dtype === 'float32');
    const stateXs = floatPaths.map((p) => tf.clone(checkpoint.get(p)!));
    const paramXs = paramNames.map((n) => options.params[n]!);
    const carried = cotangent;
    const { value: total, grads: g } = tf.engine().gradients(() => {
      const st: StateMap = new Map([...checkpoint].map(([p, t]) => [p, t.dtype === 'float32' ? stateXs[floatPaths.indexOf(p)]! : tf.clone(t)]));
      const ps = withOverrides(paramXs);
      const perStep: tf.Scalar[][] = [];
      for (let t = start; t < end; t++) {
        engine.advance(st, t, ps, true, host, segmentHook);
        const metrics = engine.metrics(st, t, ps);
        onMetrics?.(metrics);
        perStep.push(metrics);
      }
      stepLoss ??= options.loss(series);
      let acc: tf.Tensor = tf.scalar(0);
      perStep.forEach((metrics, i) => {
        const l = stepLoss!(start + i, metrics);
        if (l) acc = tf.add(acc, l);
      });
      for (const [p, c] of carried ?? []) acc = tf.add(acc, tf.sum(tf.mul(st.get(p)!, c)));
      return acc as tf.Scalar;
    }, [...stateXs, ...paramXs], undefined, true);
    total.dispose();
    const next = new Map(floatPaths.map((p, i) => [p, g[i] ?? tf.zerosLike(checkpoint.get(p)!)]));
    for (const [i, name] of paramNames.entries()) {
      const gi = g[floatPaths.length + i];
      if (gi) {
        const sum = tf.add(grads[name]!, gi);
        grads[name]!.dispose();
        gi.dispose();
        grads[name] = sum;
      }
    }
    stateXs.forEach((t) => t.dispose());
    cotangent?.forEach((t) => t.dispose());
    cotangent = next;
  };

  try {
    const state = internals.initialState();
    try {
      for (let t = 0; t < lastStart; t++) {
        if (t % k === 0) checkpoints.push(cloneState(state));
        const waiting = engine.advance(state, t, forwardParams, true, host);
        if (waiting) yield waiting;
        record(yield tf.tidy(() => tf.stack(engine.metrics(state, t, forwardParams))));
      }
      if (sync) segment(state, lastStart, steps, (metrics) => record(tf.tidy(() => tf.stack(metrics).dataSync())));
      else stepLoss = options.loss(series);
    } finally {
      disposeState(state);
    }
    if (host) host.mode = 'replay';
    // Backward through the earlier segments, last to first, each re-run on the tape from its checkpoint.
    for (let j = checkpoints.length - 1; j >= 0; j--) {
      yield Promise.resolve();
      // (asynchronous reads: the last checkpoint's segment ends at `steps`)
      segment(checkpoints[j]!, j * k, Math.min(steps, (j + 1) * k));
      disposeState(checkpoints[j]);
      checkpoints[j] = new Map();
    }
  } catch (error) {
    Object.values(grads).forEach((t) => t.dispose());
    throw error;
  } finally {
    cotangent?.forEach((t) => t.dispose());
    checkpoints.forEach(disposeState);
    host?.clear();
  }

  // Each step's loss from the recorded metrics, read in one go (summed in float64 in step order).
  const losses = tf.tidy(() => {
    const ls: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const l = stepLoss!(t, names.map((n) => tf.scalar(series[n]![t]!)));
      if (l) ls.push(tf.reshape(l, [1]));
    }
    return ls.length === 0 ? tf.zeros([0]) : tf.concat(ls);
  });
  let value = 0;
  for (const l of Array.from(yield losses)) value += l;
  return { value, grads, metrics: series, checkpointEvery: k };
}
