/**
 * `odeSubstep`: an ODE component as one substep of a model. Every step it
 * advances each agent's system (or the one system of the population) over one
 * model step with the solver's own internal steps (two time scales), and
 * writes the new state and the component's outputs to model state, where the
 * other substeps read them (e.g. infectiousness from within-host viral load).
 */
import { PopulaceError, defineSubstep, describeValue, tf, type ParameterSpec, type StatePath, type SubstepDefinition } from '@populace/core';
import { evaluateOutputs, type OdeComponent } from './component.js';
import { ODE_METHODS, solveOde, type OdeMethod, type SolveOdeOptions } from './solve.js';

export interface OdeSubstepOptions<V extends string, P extends string, I extends string, O extends string> {
  /** Substep name (default `ode-<component id>`). */
  readonly name?: string;
  readonly description?: string;
  /** The model state path holding each state variable (float32, one shape for all). */
  readonly state: Readonly<Record<V, StatePath>>;
  /** The model parameter feeding each component parameter (default: the parameter of the same name). */
  readonly params?: Partial<Readonly<Record<P, string>>>;
  /** The model state path feeding each input. */
  readonly inputs?: Readonly<Record<I, StatePath>>;
  /** Where to write each output the model uses (the others are not computed). */
  readonly outputs?: Partial<Readonly<Record<O, StatePath>>>;
  /** Model time units per step (default 1: a daily model with rates per day). */
  readonly stepLength?: number;
  /** Solver (default 'rk4'), its internal step (default stepLength / 10) and tolerances. */
  readonly method?: OdeMethod;
  readonly dt?: number;
  readonly rtol?: number;
  readonly atol?: number;
  readonly stepControl?: 'per-system' | 'shared';
  /** Extra state the substep reads (e.g. for `prepare`). */
  readonly reads?: readonly StatePath[];
  /**
   * Adjusts the state before it is integrated (e.g. puts an inoculum into newly infected agents);
   * sees the substep context and the state read from the model. Synchronous tensor work.
   */
  readonly prepare?: (ctx: Parameters<SubstepDefinition['transition']>[0], y: Record<V, tf.Tensor>) => Record<V, tf.Tensor>;
}

function fail(where: string, expected: string, received: unknown): never {
  throw new PopulaceError('invalid-definition', `${where}: expected ${expected}, received ${describeValue(received)}.`, { details: { where } });
}

/**
 * The component's parameters as model parameter specs, to spread into a model's `parameters`
 * (optionally renamed, e.g. `{ beta: 'withinHostBeta' }` when the model has its own `beta`).
 *
 * @example
 * ```ts
 * parameters: { ...odeParameters(viralTcl, { beta: 'viralBeta' }), beta: { default: 0.5 } }
 * ```
 */
export function odeParameters<P extends string>(component: OdeComponent<string, P>, rename: Partial<Record<P, string>> = {}): Record<string, ParameterSpec> {
  return Object.fromEntries(Object.entries(component.parameters as Record<string, ParameterSpec>).map(([name, spec]) => [rename[name as P] ?? name, { ...spec }]));
}

/**
 * Makes a substep that integrates `component` over each model step.
 *
 * @example
 * ```ts
 * const withinHost = odeSubstep(viralTcl, {
 *   state: { T: 'agents/people/targetCells', I: 'agents/people/infectedCells', V: 'agents/people/viralLoad' },
 *   outputs: { infectiousness: 'agents/people/infectiousness' },
 *   params: { beta: 'viralBeta' },
 *   dt: 0.1,
 * });
 * ```
 */
export function odeSubstep<V extends string, P extends string, I extends string, O extends string>(component: OdeComponent<V, P, I, O>, options: OdeSubstepOptions<V, P, I, O>): SubstepDefinition {
  const where = `odeSubstep(${component?.id ?? '?'})`;
  if (typeof options !== 'object' || options === null) fail(where, 'an options object { state, params?, inputs?, outputs?, method?, dt? }', options);
  const names = Object.keys(component.state) as V[];
  for (const n of names) if (typeof options.state?.[n] !== 'string') fail(`${where}.state.${n}`, 'the model state path holding this variable', options.state?.[n]);
  const inputNames = Object.keys(component.inputs) as I[];
  for (const n of inputNames) if (typeof options.inputs?.[n] !== 'string') fail(`${where}.inputs.${n}`, 'the model state path feeding this input', options.inputs?.[n]);
  const outputs = Object.entries(options.outputs ?? {}) as [O, StatePath][];
  for (const [o] of outputs) if (!(o in component.outputs)) fail(`${where}.outputs.${o}`, `one of the component's outputs [${Object.keys(component.outputs).join(', ')}]`, o);
  const stepLength = options.stepLength ?? 1;
  if (!(typeof stepLength === 'number' && Number.isFinite(stepLength) && stepLength > 0)) fail(`${where}.stepLength`, 'a number > 0', stepLength);
  const method = options.method ?? 'rk4';
  if (!ODE_METHODS.includes(method)) fail(`${where}.method`, `one of ${ODE_METHODS.join(', ')}`, method);
  const paramNames = Object.keys(component.parameters) as P[];
  const modelParam = (p: P): string => options.params?.[p] ?? p;
  const statePaths = names.map((n) => options.state[n]);
  const solverOptions: Omit<SolveOdeOptions<V, P, I>, 'times'> = {
    method,
    dt: options.dt ?? stepLength / 10,
    ...(options.rtol === undefined ? {} : { rtol: options.rtol }),
    ...(options.atol === undefined ? {} : { atol: options.atol }),
    ...(options.stepControl === undefined ? {} : { stepControl: options.stepControl }),
  };
  return defineSubstep({
    name: options.name ?? `ode-${component.id}`,
    description: options.description ?? `integrates the ODE component '${component.id}' over each step (${method})`,
    reads: [...new Set([...statePaths, ...inputNames.map((n) => options.inputs![n]), ...(options.reads ?? [])])],
    writes: [...new Set([...statePaths, ...outputs.map(([, path]) => path)])],
    // smooth in the parameters once the model's random draws are held: the stochastic derivative carries it
    continuous: [...new Set([...statePaths, ...outputs.map(([, path]) => path)])],
    transition: (ctx) => {
      let y = {} as Record<V, tf.Tensor>;
      for (const n of names) y[n] = ctx.get(options.state[n]);
      if (options.prepare) y = options.prepare(ctx, y);
      const params = {} as Record<P, tf.Tensor>;
      for (const p of paramNames) params[p] = ctx.param(modelParam(p));
      const inputs = {} as Record<I, tf.Tensor>;
      for (const n of inputNames) inputs[n] = ctx.get(options.inputs![n]);
      const t0 = ctx.step * stepLength;
      const sol = solveOde(component, { ...solverOptions, y0: y, params, inputs, times: [t0, t0 + stepLength] });
      const end = sol.states[1]!;
      const updates: Record<string, tf.Tensor> = {};
      for (const n of names) updates[options.state[n]] = end[n];
      if (outputs.length > 0) {
        const values = evaluateOutputs(component, end, params);
        for (const [o, path] of outputs) updates[path] = values[o];
      }
      return updates;
    },
  });
}
