/**
 * `solveOde`: integrates a batch of systems to a fixed output grid with RK4
 * (fixed step), Dormand-Prince 5(4) or ROS2 (adaptive), on the tfjs tape.
 *
 * Adaptive step control is vectorised, with no loop over systems in
 * JavaScript. Default `stepControl: 'per-system'`: every system has its own
 * clock `t` and step `h` (tensors of the batch's shape); each iteration
 * computes a trial step for all systems at once, accepts it where that
 * system's error norm is <= 1 (a masked update with tf.where) and resizes each
 * system's step from its own error. Systems that reached the output time take
 * zero-length steps until the slowest arrives, so a batch costs as many
 * iterations as its hardest system, but an easy system is not forced onto the
 * hard one's small steps (its accuracy is the tolerance, not better). With
 * `stepControl: 'shared'` one step serves the whole batch, sized by the largest
 * error norm (fewer ops per iteration, more iterations when systems differ).
 * Step-size control itself is not differentiated (discretise-then-optimise).
 */
import { PopulaceError, describeValue, tf } from '@populace/core';
import { parameterTensors, type OdeComponent } from './component.js';
import { rk4AdjointSolve, rk4Grid } from './adjoint.js';
import { canFuse, fusedDopri5, fusedRk4 } from './fused-solvers.js';
import { dopri5Step, rk4Step, ros2Step, type AdaptiveStep } from './steppers.js';
import { bindSystem, firstNonFinite, nonFiniteError, type OdeSystem, type OdeVector } from './system.js';

export type OdeMethod = 'rk4' | 'dopri5' | 'ros2';
export const ODE_METHODS: readonly OdeMethod[] = ['rk4', 'dopri5', 'ros2'];

export interface SolveOdeOptions<V extends string, P extends string, I extends string> {
  /** Initial state: a tensor of the batch's shape or a number per variable; missing ones start at their `init`. */
  readonly y0?: Partial<Record<V, tf.Tensor | number>>;
  /** Batch shape when `y0` gives no tensor (default [] : one system). */
  readonly shape?: readonly number[];
  /** Parameter values (numbers, or tensors: scalars or one per system, e.g. tf.Variables). */
  readonly params?: Partial<Record<P, tf.Tensor | number>>;
  /** Inputs, tensors of the batch's shape (or broadcastable), constant over the call. */
  readonly inputs?: Partial<Record<I, tf.Tensor>>;
  /** Output times, increasing; the first is the initial time. */
  readonly times: readonly number[];
  /** Default 'dopri5'. */
  readonly method?: OdeMethod;
  /** RK4's largest internal step (each output interval is cut into equal steps); default a tenth of the first interval. */
  readonly dt?: number;
  /** Adaptive methods: relative and absolute tolerances (default 1e-4 and 1e-7). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Adaptive methods: the first trial step (default 1% of the first interval). */
  readonly h0?: number;
  /** Adaptive methods: iterations allowed over the whole call (default 100,000). */
  readonly maxSteps?: number;
  readonly stepControl?: 'per-system' | 'shared';
  /**
   * How gradients reach `y0` and `params` when a tape is recording (RK4 only): 'tape' (default)
   * records every op of every internal step; 'adjoint' runs the discrete adjoint method
   * (checkpoints at the output times, one internal step's tape at a time in the backward pass):
   * the same gradient in memory that does not grow with the internal steps. See src/adjoint.ts.
   */
  readonly gradient?: 'tape' | 'adjoint';
}

export interface OdeSolution<V extends string> {
  readonly times: readonly number[];
  /** The state at every output time (`states[0]` is the initial state); the caller owns the tensors. */
  readonly states: Record<V, tf.Tensor>[];
  /** Internal steps taken (adaptive: iterations, each one trial step for every system). */
  readonly steps: number;
  /** Adaptive methods: rejected trial steps summed over systems. */
  readonly rejected: number;
}

function fail(what: string, expected: string, received: unknown): never {
  throw new PopulaceError('invalid-argument', `solveOde: ${what}: expected ${expected}, received ${describeValue(received)}.`, { details: { option: what } });
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(name, 'a finite number > 0', value);
  return value;
}

/** Validated numeric options. */
interface Settings {
  readonly method: OdeMethod;
  readonly dt: number;
  readonly rtol: number;
  readonly atol: number;
  readonly h0: number;
  readonly maxSteps: number;
  readonly shared: boolean;
  readonly adjoint: boolean;
}

function settings(o: SolveOdeOptions<string, string, string>): Settings {
  const times = o.times;
  if (!Array.isArray(times) || times.length < 2 || times.some((t) => typeof t !== 'number' || !Number.isFinite(t))) fail('times', 'an array of at least two finite numbers', times);
  for (let i = 1; i < times.length; i++) if (!(times[i]! > times[i - 1]!)) fail('times', 'strictly increasing times', times);
  const method = o.method ?? 'dopri5';
  if (!ODE_METHODS.includes(method)) fail('method', `one of ${ODE_METHODS.join(', ')}`, method);
  const first = times[1]! - times[0]!;
  const control = o.stepControl ?? 'per-system';
  if (control !== 'per-system' && control !== 'shared') fail('stepControl', "'per-system' or 'shared'", control);
  const maxSteps = positive('maxSteps', o.maxSteps, 100_000);
  if (!Number.isInteger(maxSteps)) fail('maxSteps', 'a positive integer', maxSteps);
  const gradient = o.gradient ?? 'tape';
  if (gradient !== 'tape' && gradient !== 'adjoint') fail('gradient', "'tape' or 'adjoint'", gradient);
  if (gradient === 'adjoint' && method !== 'rk4') fail('gradient', "'tape' with an adaptive method ('adjoint' is implemented for method 'rk4')", gradient);
  return { adjoint: gradient === 'adjoint', method, dt: positive('dt', o.dt, first / 10), rtol: positive('rtol', o.rtol, 1e-4), atol: positive('atol', o.atol, 1e-7), h0: positive('h0', o.h0, first / 100), maxSteps, shared: control === 'shared' };
}

/** The batch shape and the initial state tensors. */
function startState(component: OdeComponent, o: SolveOdeOptions<string, string, string>): { shape: number[]; y: OdeVector } {
  const names = Object.keys(component.state);
  const given = (o.y0 ?? {}) as Record<string, tf.Tensor | number | undefined>;
  for (const k of Object.keys(given)) if (!names.includes(k)) fail(`y0.${k}`, `one of the state variables [${names.join(', ')}]`, k);
  const tensors = Object.values(given).filter((v): v is tf.Tensor => v instanceof tf.Tensor);
  const shape = tensors.length > 0 ? [...tensors[0]!.shape] : [...(o.shape ?? [])];
  for (const t of tensors) if (!tf.util.arraysEqual(t.shape, shape)) fail('y0', `tensors of one shape [${shape.join(', ')}]`, `shape [${t.shape.join(', ')}]`);
  const y: OdeVector = {};
  for (const n of names) {
    const v = given[n];
    if (v instanceof tf.Tensor) y[n] = tf.cast(v, 'float32');
    else {
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) fail(`y0.${n}`, 'a finite number or a tensor', v);
      y[n] = tf.fill(shape, v ?? component.state[n]!.init);
    }
  }
  return { shape, y };
}

/**
 * Integrates `component` from `times[0]` through every later time in `times`.
 *
 * @example
 * ```ts
 * const sol = solveOde(decay, { y0: { y: tf.ones([1000]) }, params: { k: 0.5 }, times: [0, 1, 2], method: 'rk4', dt: 0.1 });
 * sol.states[2].y; // ~ exp(-1) each
 * ```
 */
export function solveOde<V extends string, P extends string, I extends string>(component: OdeComponent<V, P, I, string>, options: SolveOdeOptions<V, P, I>): OdeSolution<V> {
  const s = settings(options as SolveOdeOptions<string, string, string>);
  const { shape, y } = startState(component as unknown as OdeComponent, options as SolveOdeOptions<string, string, string>);
  const params = parameterTensors(component as unknown as OdeComponent, (options.params ?? {}) as Record<string, tf.Tensor | number>);
  const sys = bindSystem(component as unknown as OdeComponent, params, (options.inputs ?? {}) as Record<string, tf.Tensor>, shape);
  const states: OdeVector[] = [y];
  let steps = 0;
  let rejected = 0;
  let control: Control | undefined;
  let fusedH: Float64Array | undefined;
  if (s.adjoint && recording()) {
    try {
      const out = rk4AdjointSolve((p) => bindSystem(component as unknown as OdeComponent, p, (options.inputs ?? {}) as Record<string, tf.Tensor>, shape), sys.names, y, params, options.times, s.dt);
      out.forEach((state, i) => {
        const bad = firstNonFinite(sys.names, state);
        if (bad >= 0) throw nonFiniteError(sys.id, sys.names, state, bad, options.times[i + 1]!);
      });
      const steps = rk4Grid(options.times, s.dt).reduce((a, g) => a + g.n, 0);
      return { times: [...options.times], states: [y, ...out] as Record<V, tf.Tensor>[], steps, rejected: 0 };
    } finally {
      tf.dispose(Object.values(params).filter((p) => !Object.values(options.params ?? {}).includes(p)));
    }
  }
  try {
    let current = y;
    for (let i = 1; i < options.times.length; i++) {
      const [t0, t1] = [options.times[i - 1]!, options.times[i]!];
      if (s.method === 'rk4') {
        const n = Math.max(1, Math.ceil((t1 - t0) / s.dt - 1e-9));
        const h = (t1 - t0) / n;
        current = canFuse(component as unknown as OdeComponent) ? fusedRk4(component as unknown as OdeComponent, current, params, (options.inputs ?? {}) as Record<string, tf.Tensor>, shape, t0, h, n) : fixedSteps(sys, current, t0, h, n);
        steps += n;
      } else if (s.method === 'dopri5' && !s.shared && canFuse(component as unknown as OdeComponent)) {
        const out = fusedDopri5(component as unknown as OdeComponent, current, params, (options.inputs ?? {}) as Record<string, tf.Tensor>, shape, t0, t1, s, fusedH ?? Math.min(s.h0, t1 - t0));
        if (out.stuck.index >= 0) {
          tf.dispose(Object.values(out.y));
          throw new PopulaceError('integration-failed', `ODE component '${sys.id}': dopri5 reached the step limit (maxSteps = ${s.maxSteps}) for system ${out.stuck.index} at t = ${out.stuck.time} on the way to ${t1}, with steps down to ${out.stuck.h}. The system may be stiff (use method 'ros2'), or its solution blows up; otherwise raise maxSteps or loosen rtol/atol.`, { details: { component: sys.id, index: out.stuck.index, time: out.stuck.time, maxSteps: s.maxSteps } });
        }
        current = out.y;
        fusedH = out.h;
        steps += out.steps;
        rejected += out.rejected;
      } else {
        control ??= startControl(sys, current, t0, Math.min(s.h0, t1 - t0), s);
        const out = adaptive(sys, current, control, t0, t1, s, steps);
        current = out.y;
        control = out.control;
        steps = out.steps;
        rejected += out.rejected;
      }
      const bad = firstNonFinite(sys.names, current);
      if (bad >= 0) throw nonFiniteError(sys.id, sys.names, current, bad, t1);
      states.push(current);
    }
  } finally {
    if (control) tf.dispose([control.t, control.h, ...Object.values(control.f)]);
    tf.dispose(Object.values(params).filter((p) => !Object.values(options.params ?? {}).includes(p)));
  }
  return { times: [...options.times], states: states as Record<V, tf.Tensor>[], steps, rejected };
}

function fixedSteps(sys: OdeSystem, y: OdeVector, t0: number, h: number, n: number): OdeVector {
  let current = y;
  for (let k = 0; k < n; k++) {
    const prev = current;
    current = tf.tidy(() => rk4Step(sys, t0 + k * h, prev, h));
    if (k > 0) tf.dispose(Object.values(prev));
  }
  return current;
}

/** The adaptive solvers' running control: each system's clock and next step, and f at (t, y). */
interface Control {
  readonly t: tf.Tensor;
  readonly h: tf.Tensor;
  readonly f: OdeVector;
}

function startControl(sys: OdeSystem, y: OdeVector, t0: number, h0: number, s: Settings): Control {
  const shape = s.shared ? [] : [...sys.shape];
  return tf.tidy(() => {
    const t = tf.fill(shape, t0);
    return { t, h: tf.fill(shape, h0), f: sys.f(t, y) };
  });
}

/** Advances every system from t0 to t1 with masked adaptive steps. */
function adaptive(sys: OdeSystem, y: OdeVector, control: Control, t0: number, t1: number, s: Settings, stepsBefore: number): { y: OdeVector; control: Control; steps: number; rejected: number } {
  const order = s.method === 'dopri5' ? 5 : 2;
  let cur = { y, ...control };
  // restart every system's clock at t0 (they all arrived at t0 exactly)
  cur = { ...cur, t: tf.fill(control.t.shape, t0) };
  control.t.dispose();
  let steps = stepsBefore;
  let rejected = 0;
  for (;;) {
    if (steps >= s.maxSteps) {
      const tMin = tf.min(cur.t).dataSync()[0]!;
      const hMin = tf.min(cur.h).dataSync()[0]!;
      throw new PopulaceError('integration-failed', `ODE component '${sys.id}': ${s.method} reached the step limit (maxSteps = ${s.maxSteps}) at t = ${tMin} on the way to ${t1}, with steps down to ${hMin}. The system may be stiff (use method 'ros2'), or its solution blows up; otherwise raise maxSteps or loosen rtol/atol.`, { details: { component: sys.id, time: tMin, maxSteps: s.maxSteps } });
    }
    const prev = cur;
    const next = tf.tidy(() => {
      const remaining = tf.sub(t1, prev.t);
      const last = tf.greaterEqual(prev.h, remaining);
      const h = tf.minimum(prev.h, remaining);
      const step: AdaptiveStep = s.method === 'dopri5' ? dopri5Step(sys, prev.t, prev.y, h, prev.f) : ros2Step(sys, prev.t, prev.y, h, prev.f, s.atol);
      let norm = errorNorm(sys, prev.y, step, s);
      if (s.shared) norm = tf.max(norm);
      norm = detach(tf.where(tf.isNaN(norm), tf.fill(norm.shape, Infinity), norm));
      const accept = tf.lessEqual(norm, 1);
      const acceptFull = s.shared ? tf.broadcastTo(accept, [...sys.shape]) : accept;
      const yNew: OdeVector = {};
      for (const n of sys.names) yNew[n] = tf.where(acceptFull, step.y[n]!, prev.y[n]!);
      const tNew = tf.where(accept, tf.where(last, tf.fill(h.shape, t1), tf.add(prev.t, h)), prev.t);
      // first same as last (Dormand-Prince), else f at the new point for the next step
      const fResult = step.fNew ?? sys.f(tNew, yNew);
      const fNew: OdeVector = {};
      for (const n of sys.names) fNew[n] = step.fNew ? tf.where(acceptFull, fResult[n]!, prev.f[n]!) : fResult[n]!;
      const factor = tf.clipByValue(tf.mul(tf.pow(tf.maximum(norm, 1e-10), -1 / order), 0.9), 0.2, 5);
      // a system that has arrived keeps its step for the next interval
      const hNext = tf.where(tf.greater(h, 0), tf.mul(h, factor), prev.h);
      const status = tf.stack([tf.max(tf.sub(t1, tNew)), tf.sum(tf.cast(tf.logicalNot(accept), 'float32'))]);
      return { y: yNew, f: fNew, t: tNew, h: hNext, status };
    });
    const [left, rej] = next.status.dataSync();
    next.status.dispose();
    if (prev.y !== y) tf.dispose(Object.values(prev.y));
    tf.dispose([prev.t, prev.h, ...Object.values(prev.f)]);
    cur = next;
    steps++;
    rejected += s.shared ? rej! * (sys.shape.reduce((a, b) => a * b, 1)) : rej!;
    if (left! <= 0) break;
  }
  return { y: cur.y, control: { t: cur.t, h: cur.h, f: cur.f }, steps, rejected };
}

/**
 * The values of `x` cut from the tape when one is recording (step-size control is not
 * differentiated, and the comparisons it makes have no gradient), else `x` itself.
 */
function detach(x: tf.Tensor): tf.Tensor {
  return recording() ? tf.tensor(x.dataSync(), x.shape, 'float32') : x;
}

/** Whether a tape is recording (assumed so when the engine does not say). */
function recording(): boolean {
  return ((tf.engine() as unknown as { state?: { gradientDepth?: number } }).state?.gradientDepth ?? 1) > 0;
}

/** RMS over variables of error / (atol + rtol * max(|y|, |y_new|)), per system. */
function errorNorm(sys: OdeSystem, y: OdeVector, step: AdaptiveStep, s: Settings): tf.Tensor {
  let sum: tf.Tensor | undefined;
  for (const n of sys.names) {
    const scale = tf.add(s.atol, tf.mul(tf.maximum(tf.abs(y[n]!), tf.abs(step.y[n]!)), s.rtol));
    const r = tf.square(tf.div(step.error[n]!, scale));
    sum = sum ? tf.add(sum, r) : r;
  }
  return tf.sqrt(tf.div(sum!, sys.names.length));
}
