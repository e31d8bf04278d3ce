/**
 * ODE components: a pure description of a small system of ordinary differential
 * equations, vectorised over a batch (one system per agent, or one for a whole
 * population), with learnable parameters and named outputs.
 */
import { PopulaceError, describeValue, isPlainObject, tf, type ParameterSpec } from '@populace/core';

/** One state variable of an ODE component. */
export interface OdeVariableSpec {
  /** Initial value (used by `initialState` and `odeSubstep`'s reset). */
  readonly init: number;
  readonly description?: string;
  readonly unit?: string;
}

/** An exogenous input the derivative reads (e.g. an agent's exposure), constant over one solver call. */
export interface OdeInputSpec {
  readonly description?: string;
}

/** A named function of the state (and parameters) that other parts read, e.g. infectiousness from viral load. */
export interface OdeOutputSpec<V extends string, P extends string> {
  readonly description?: string;
  readonly compute: (y: Readonly<Record<V, tf.Tensor>>, params: Readonly<Record<P, tf.Tensor>>) => tf.Tensor;
}

/**
 * `dy/dt` written with tfjs ops. `t` is a scalar or, for solvers that step each system on its
 * own clock, a tensor of the batch's shape; every returned tensor must have the batch's shape
 * (a broadcastable one, e.g. a scalar 0, is broadcast). Parameters are scalars or per-system
 * tensors; inputs have the batch's shape.
 */
export type OdeDerivative<V extends string, P extends string, I extends string> = (
  t: tf.Tensor,
  y: Readonly<Record<V, tf.Tensor>>,
  params: Readonly<Record<P, tf.Tensor>>,
  inputs: Readonly<Record<I, tf.Tensor>>,
) => Record<V, tf.Tensor>;

/**
 * An exact Jacobian `J[i][j] = d(dy_i/dt)/dy_j`, per system, for the implicit solver (optional:
 * without one it uses forward differences on the tape).
 */
export type OdeJacobian<V extends string, P extends string, I extends string> = (
  t: tf.Tensor,
  y: Readonly<Record<V, tf.Tensor>>,
  params: Readonly<Record<P, tf.Tensor>>,
  inputs: Readonly<Record<I, tf.Tensor>>,
) => Record<V, Record<V, tf.Tensor>>;

/**
 * The derivative of ONE system in plain numbers (the same equations as `derivative`), writing
 * dy/dt into `dy`. Arrays follow the declaration order of `state`, `parameters` and `inputs`.
 * Optional: when present, RK4 runs a fused loop over systems whenever no gradient is being
 * recorded (several times faster on the cpu backend); the tensor `derivative` stays the
 * reference and the only path on the tape.
 */
export type OdePointwise = (t: number, y: Float64Array, params: Float64Array, inputs: Float64Array, dy: Float64Array) => void;

/** What `defineOdeComponent` takes. */
export interface OdeComponentInput<V extends string, P extends string, I extends string, O extends string> {
  /** Local id; the plugin adds its namespace (`ode/viral-tcl`). */
  readonly id: string;
  readonly description: string;
  readonly state: Readonly<Record<V, OdeVariableSpec>>;
  /** Declared like model parameters (default, bounds, learnable, unit); scalars only. */
  readonly parameters?: Readonly<Record<P, ParameterSpec>>;
  readonly inputs?: Readonly<Record<I, OdeInputSpec>>;
  readonly derivative: OdeDerivative<V, P, I>;
  readonly jacobian?: OdeJacobian<V, P, I>;
  readonly pointwise?: OdePointwise;
  readonly outputs?: Readonly<Record<O, OdeOutputSpec<V, P>>>;
}

/** A validated, frozen ODE component. */
export interface OdeComponent<V extends string = string, P extends string = string, I extends string = string, O extends string = string> {
  readonly id: string;
  readonly description: string;
  readonly state: Readonly<Record<V, OdeVariableSpec>>;
  readonly parameters: Readonly<Record<P, ParameterSpec>>;
  readonly inputs: Readonly<Record<I, OdeInputSpec>>;
  readonly derivative: OdeDerivative<V, P, I>;
  readonly jacobian?: OdeJacobian<V, P, I>;
  readonly pointwise?: OdePointwise;
  readonly outputs: Readonly<Record<O, OdeOutputSpec<V, P>>>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function check(cond: unknown, where: string, expected: string, received: unknown): asserts cond {
  if (!cond) throw new PopulaceError('invalid-definition', `${where}: expected ${expected}, received ${describeValue(received)}.`, { details: { where, expected } });
}

function checkNames(value: unknown, where: string, what: string): asserts value is Record<string, unknown> {
  check(isPlainObject(value), where, `an object of ${what}`, value);
  for (const key of Object.keys(value)) check(NAME.test(key), `${where}.${key}`, 'a name of letters, digits, _ or -', key);
}

function checkParameter(name: string, spec: unknown, where: string): void {
  const at = `${where}.parameters.${name}`;
  check(isPlainObject(spec), at, 'an object { default, bounds?, learnable?, unit?, description? }', spec);
  const s = spec as unknown as ParameterSpec;
  check(typeof s.default === 'number' && Number.isFinite(s.default), `${at}.default`, 'a finite number (ODE parameters are scalars)', s.default);
  if (s.bounds !== undefined) {
    const b = s.bounds;
    check(Array.isArray(b) && b.length === 2 && typeof b[0] === 'number' && typeof b[1] === 'number' && b[0] <= b[1], `${at}.bounds`, '[lower, upper] with lower <= upper', b);
    check((s.default as number) >= b[0] && (s.default as number) <= b[1], `${at}.default`, `a value within [${b[0]}, ${b[1]}]`, s.default);
  }
}

/**
 * Declares an ODE component. Pure: validates, freezes and returns it; registering is
 * `definePlugin({ odeComponents: [...] })`'s job.
 *
 * @example
 * ```ts
 * const decay = defineOdeComponent({
 *   id: 'decay',
 *   description: 'exponential decay dy/dt = -k y',
 *   state: { y: { init: 1 } },
 *   parameters: { k: { default: 0.5, bounds: [0, 10], learnable: true, unit: '1/day' } },
 *   derivative: (_t, { y }, { k }) => ({ y: tf.neg(tf.mul(k, y)) }),
 *   outputs: { half: { compute: ({ y }) => tf.mul(y, 0.5) } },
 * });
 * ```
 */
export function defineOdeComponent<const V extends string, const P extends string = never, const I extends string = never, const O extends string = never>(
  input: OdeComponentInput<V, P, I, O>,
): OdeComponent<V, P, I, O> {
  check(isPlainObject(input), 'defineOdeComponent', 'an object { id, description, state, parameters, derivative, outputs }', input);
  const where = `defineOdeComponent(${typeof input.id === 'string' ? input.id : '?'})`;
  check(typeof input.id === 'string' && NAME.test(input.id), `${where}.id`, "a local name of letters, digits, _ or - (no '/'; the plugin adds its namespace)", input.id);
  check(typeof input.description === 'string' && input.description.length > 0, `${where}.description`, 'a non-empty string', input.description);
  checkNames(input.state, `${where}.state`, 'state variables { name: { init } }');
  check(Object.keys(input.state).length > 0, `${where}.state`, 'at least one state variable', input.state);
  for (const [name, v] of Object.entries(input.state) as [string, OdeVariableSpec][]) {
    check(isPlainObject(v) && typeof v.init === 'number' && Number.isFinite(v.init), `${where}.state.${name}.init`, 'a finite number', (v as { init?: unknown })?.init);
  }
  const parameters = (input.parameters ?? {}) as Record<string, ParameterSpec>;
  checkNames(parameters, `${where}.parameters`, 'parameter specs');
  for (const [name, spec] of Object.entries(parameters)) checkParameter(name, spec, where);
  const inputs = (input.inputs ?? {}) as Record<string, OdeInputSpec>;
  checkNames(inputs, `${where}.inputs`, 'input specs');
  const outputs = (input.outputs ?? {}) as Record<string, OdeOutputSpec<V, P>>;
  checkNames(outputs, `${where}.outputs`, 'output specs { compute }');
  for (const [name, o] of Object.entries(outputs)) check(isPlainObject(o) && typeof o.compute === 'function', `${where}.outputs.${name}`, 'an object { compute(y, params), description? }', o);
  const clash = Object.keys(inputs).find((k) => k in input.state || k in parameters);
  check(clash === undefined, `${where}.inputs.${clash}`, 'input names distinct from state and parameter names', clash);
  check(typeof input.derivative === 'function', `${where}.derivative`, 'a function (t, y, params, inputs) => dy/dt', input.derivative);
  check(input.jacobian === undefined || typeof input.jacobian === 'function', `${where}.jacobian`, 'a function (t, y, params, inputs) => J or nothing', input.jacobian);
  check(input.pointwise === undefined || typeof input.pointwise === 'function', `${where}.pointwise`, 'a function (t, y, params, inputs, dy) => void or nothing', input.pointwise);
  const copy = <T extends object>(o: T): T => Object.freeze(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Object.freeze({ ...(v as object) })]))) as T;
  return Object.freeze({
    id: input.id,
    description: input.description,
    state: copy(input.state),
    parameters: copy(parameters) as Readonly<Record<P, ParameterSpec>>,
    inputs: copy(inputs) as Readonly<Record<I, OdeInputSpec>>,
    derivative: input.derivative,
    ...(input.jacobian ? { jacobian: input.jacobian } : {}),
    ...(input.pointwise ? { pointwise: input.pointwise } : {}),
    outputs: copy(outputs) as Readonly<Record<O, OdeOutputSpec<V, P>>>,
  });
}

/** True for a value shaped like an ODE component (e.g. one read from a plugin's `odeComponents`). */
export function isOdeComponent(value: unknown): value is OdeComponent {
  return isPlainObject(value) && typeof value.id === 'string' && isPlainObject(value.state) && typeof value.derivative === 'function';
}

/**
 * The component's parameters as tensors: the defaults, overridden by `given` (numbers or
 * tensors, e.g. tf.Variables being calibrated). Unknown names and out-of-bounds numbers throw.
 */
export function parameterTensors<P extends string>(component: OdeComponent<string, P>, given: Partial<Record<P, tf.Tensor | number>> = {}): Record<P, tf.Tensor> {
  const out = {} as Record<P, tf.Tensor>;
  const known = Object.keys(component.parameters);
  for (const name of Object.keys(given)) {
    if (!known.includes(name)) throw new PopulaceError('unknown-param', `ODE component '${component.id}' has no parameter '${name}'. Known parameters: ${known.join(', ') || '(none)'}.`, { details: { param: name, known } });
  }
  for (const name of known as P[]) {
    const spec = component.parameters[name];
    const v = given[name] as tf.Tensor | number | undefined;
    if (v === undefined || typeof v === 'number') {
      const value: number = v ?? (spec.default as number);
      const [lo, hi] = spec.bounds ?? [-Infinity, Infinity];
      if (!Number.isFinite(value) || value < lo || value > hi) {
        throw new PopulaceError('param-out-of-bounds', `ODE component '${component.id}' parameter '${name}': expected a finite value within [${lo}, ${hi}], received ${value}.`, { details: { param: name, bounds: [lo, hi], received: value } });
      }
      out[name] = tf.scalar(value);
    } else out[name] = v;
  }
  return out;
}

/** Initial state of `shape` (every system starts at the declared `init` values, or at `override`). */
export function initialState<V extends string>(component: OdeComponent<V>, shape: readonly number[], override: Partial<Record<V, number>> = {}): Record<V, tf.Tensor> {
  const out = {} as Record<V, tf.Tensor>;
  for (const name of Object.keys(component.state) as V[]) out[name] = tf.fill([...shape], override[name] ?? component.state[name].init);
  return out;
}

/** The component's outputs at state `y`. */
export function evaluateOutputs<V extends string, P extends string, O extends string>(component: OdeComponent<V, P, string, O>, y: Readonly<Record<V, tf.Tensor>>, params: Readonly<Record<P, tf.Tensor>>): Record<O, tf.Tensor> {
  const out = {} as Record<O, tf.Tensor>;
  for (const name of Object.keys(component.outputs) as O[]) out[name] = component.outputs[name].compute(y, params);
  return out;
}
