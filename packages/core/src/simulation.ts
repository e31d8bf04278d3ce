/**
 * A Simulation runs one model on one population with one parameter set and
 * one seed. Same seed, same metrics, bit for bit.
 */
import type { BackendInfo } from './backend.js';
import { PopulaceError } from './errors.js';
import type { CsrTensors } from './kernels/gather-reduce.js';
import { declaredPaths, type ModelDefinition, type StateDtype } from './model.js';
import { resolveParams, type ParamValue } from './parameters.js';
import { validatePopulationData, type PopulationData, type PopulationDefinition } from './population.js';
import type { Registered } from './registry.js';
import type { StatePath } from './state-path.js';
import { initialState, layoutAgents, networkTensors } from './state-init.js';
import { metricContext, substepContext, type ContextSource } from './substep-context.js';
import type { SubstepDefinition } from './substep.js';
import { tf } from './tf.js';

/** Progress reported after every step of `run`. */
export interface Progress {
  /** Steps completed in this run. */
  readonly step: number;
  /** Steps this run was asked for. */
  readonly steps: number;
  /** Steps completed since the last reset. */
  readonly totalSteps: number;
  readonly elapsedMs: number;
  /** The metrics of the step just completed. */
  readonly latest: Readonly<Record<string, number>>;
}

export interface RunOptions {
  readonly steps: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
}

export interface RunResult {
  readonly steps: number;
  readonly metrics: Record<string, number[]>;
  readonly wallMs: number;
}

/** What the simulation knows once it is ready. */
export interface SimulationInfo {
  readonly model: string;
  readonly population: string | undefined;
  readonly seed: number;
  /** Agents per agent type. */
  readonly agents: Readonly<Record<string, number>>;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly backend: BackendInfo;
}

/** @internal what the runtime hands a new simulation */
export interface SimulationSetup {
  readonly model: Registered<ModelDefinition>;
  readonly population: Registered<PopulationDefinition> | undefined;
  readonly params: Record<string, ParamValue>;
  readonly seed: number;
  readonly agents: number | undefined;
  readonly backend: () => Promise<BackendInfo>;
  readonly activate: () => Promise<void>;
}

interface Prepared {
  readonly info: SimulationInfo;
  readonly data: PopulationData | undefined;
  readonly layout: ReturnType<typeof layoutAgents>;
  readonly networks: Map<string, CsrTensors | undefined>;
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as Promise<unknown>)?.then === 'function';

function disposeTensors(value: unknown): void {
  if (value instanceof tf.Tensor) value.dispose();
  else if (Array.isArray(value)) value.forEach(disposeTensors);
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) Object.values(value).forEach(disposeTensors);
}

export class Simulation {
  readonly model: string;
  readonly population: string | undefined;
  readonly seed: number;
  readonly #def: ModelDefinition;
  readonly #setup: SimulationSetup;
  readonly #paths: ReturnType<typeof declaredPaths>;
  readonly #reads: Map<object, Set<string>>;
  #params: Record<string, ParamValue>;
  #paramTensors: Record<string, tf.Tensor> = {};
  #prepared: Promise<Prepared> | undefined;
  #ready: Prepared | undefined;
  #state = new Map<string, tf.Tensor>();
  #step = 0;
  #series: Record<string, number[]> = {};
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  /** @internal use `runtime.createSimulation` */
  constructor(setup: SimulationSetup) {
    this.#setup = setup;
    this.#def = setup.model.definition;
    this.model = setup.model.id;
    this.population = setup.population?.id;
    this.seed = setup.seed;
    this.#params = { ...setup.params };
    this.#paths = declaredPaths(this.#def.state);
    this.#reads = new Map<object, Set<string>>([
      ...this.#def.substeps.map((s): [object, Set<string>] => [s, new Set(s.reads)]),
      ...Object.values(this.#def.metrics).map((m): [object, Set<string>] => [m, new Set(m.reads)]),
    ]);
    for (const name of Object.keys(this.#def.metrics)) this.#series[name] = [];
  }

  /** Steps completed since the last reset. */
  get currentStep(): number {
    return this.#step;
  }

  /** Current parameter values. */
  get params(): Readonly<Record<string, ParamValue>> {
    return { ...this.#params };
  }

  /** Initialises the backend, builds the population and the initial state (once). */
  ready(): Promise<SimulationInfo> {
    this.#checkAlive();
    this.#prepared ??= this.#prepare();
    return this.#prepared.then((p) => p.info);
  }

  async #prepare(): Promise<Prepared> {
    const backend = await this.#setup.backend();
    const pop = this.#setup.population;
    const data = pop ? validatePopulationData(await pop.definition.build({ ...(this.#setup.agents === undefined ? {} : { agents: this.#setup.agents }), seed: this.seed }), pop.id) : undefined;
    await this.#setup.activate();
    const layout = layoutAgents(this.#def, this.model, data, pop?.id, this.#setup.agents ?? this.#def.defaultAgents);
    const networks = networkTensors(this.#def, this.model, layout, data, pop?.id);
    const info: SimulationInfo = { model: this.model, population: pop?.id, seed: this.seed, agents: Object.fromEntries(layout.counts), params: this.params, backend };
    this.#ready = { info, data, layout, networks };
    this.#makeParamTensors();
    this.#state = initialState(this.#def, layout, data, this.#params, this.seed);
    return this.#ready;
  }

  #makeParamTensors(): void {
    for (const t of Object.values(this.#paramTensors)) t.dispose();
    this.#paramTensors = {};
    for (const [name, value] of Object.entries(this.#params)) {
      const spec = this.#def.parameters[name]!;
      const initial = typeof value === 'number' ? tf.scalar(value) : tf.tensor1d([...value]);
      this.#paramTensors[name] = spec.learnable ? tf.variable(initial, true) : initial;
      if (spec.learnable) initial.dispose();
    }
  }

  /** The learnable parameters as tf.Variables (for optimisers and `tf.variableGrads`). */
  variables(): Record<string, tf.Variable> {
    this.#checkReady('variables()');
    return Object.fromEntries(Object.entries(this.#paramTensors).filter(([, t]) => t instanceof tf.Variable)) as Record<string, tf.Variable>;
  }

  /** Changes parameters (validated against their bounds); takes effect from the next step. */
  setParams(values: Readonly<Record<string, unknown>>): void {
    this.#checkAlive();
    const next = resolveParams(this.#def.parameters, { ...this.#params, ...values }, this.model);
    this.#params = next;
    if (!this.#ready) return;
    for (const name of Object.keys(values)) {
      const t = this.#paramTensors[name]!;
      const v = next[name]!;
      const value = typeof v === 'number' ? tf.scalar(v) : tf.tensor1d([...v]);
      if (t instanceof tf.Variable) {
        t.assign(value);
        value.dispose();
      } else {
        t.dispose();
        this.#paramTensors[name] = value;
      }
    }
  }

  /** Advances `n` steps (default 1) and returns the metrics of the last one. */
  step(n = 1): Promise<Readonly<Record<string, number>>> {
    if (!Number.isInteger(n) || n < 1) return Promise.reject(new PopulaceError('invalid-argument', `step(n): expected a positive integer, received ${String(n)}.`));
    return this.#exclusive(async () => {
      await this.ready();
      await this.#setup.activate();
      for (let i = 0; i < n; i++) await this.#advance(false);
      return this.#latest();
    });
  }

  /** Runs `steps` steps, reporting progress and honouring an AbortSignal between steps. */
  run(options: RunOptions): Promise<RunResult> {
    const steps = options?.steps;
    if (!Number.isInteger(steps) || steps < 0) return Promise.reject(new PopulaceError('invalid-argument', `run({ steps }): expected a non-negative integer, received ${String(steps)}.`));
    return this.#exclusive(async () => {
      const t0 = performance.now();
      await this.ready();
      await this.#setup.activate();
      for (let i = 0; i < steps; i++) {
        if (options.signal?.aborted) {
          throw new PopulaceError('aborted', `run aborted after ${i} of ${steps} steps; metrics of the completed steps are kept.`, { details: { completedSteps: i }, cause: options.signal.reason });
        }
        await this.#advance(false);
        options.onProgress?.({ step: i + 1, steps, totalSteps: this.#step, elapsedMs: performance.now() - t0, latest: this.#latest() });
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { steps, metrics: this.metrics(), wallMs: performance.now() - t0 };
    });
  }

  /**
   * A differentiable rollout: resets to the initial state, runs `steps` steps synchronously and
   * returns each metric's series as a tensor [steps]. Call it inside `tf.variableGrads` or
   * `tf.grad` to differentiate metrics with respect to `variables()`. Requires `await ready()`
   * first and substeps whose `act` is synchronous. The caller owns the returned tensors.
   */
  trace(steps: number): Record<string, tf.Tensor1D> {
    this.#checkReady('trace()');
    if (!Number.isInteger(steps) || steps < 1) throw new PopulaceError('invalid-argument', `trace(steps): expected a positive integer, received ${String(steps)}.`);
    this.#resetState();
    const names = Object.keys(this.#def.metrics);
    const perStep: tf.Tensor[][] = names.map(() => []);
    for (let i = 0; i < steps; i++) {
      const result = this.#advance(true);
      if (isPromise(result)) throw new PopulaceError('invalid-argument', 'trace(): a substep acted asynchronously; differentiable rollouts need synchronous substeps.');
      const values = tf.tidy(() => this.#computeMetrics());
      values.forEach((v, k) => perStep[k]!.push(v));
    }
    const out: Record<string, tf.Tensor1D> = {};
    names.forEach((name, k) => {
      out[name] = tf.stack(perStep[k]!) as tf.Tensor1D;
      perStep[k]!.forEach((t) => t.dispose());
    });
    return out;
  }

  /** Back to step 0: state re-initialised from the population, metrics cleared. */
  reset(): Promise<void> {
    return this.#exclusive(async () => {
      await this.ready();
      await this.#setup.activate();
      this.#resetState();
    });
  }

  /** Metric series since the last reset (copies). */
  metrics(): Record<string, number[]> {
    return Object.fromEntries(Object.entries(this.#series).map(([k, v]) => [k, [...v]]));
  }

  /** A copy of one piece of state; the caller disposes it. */
  state(path: StatePath): tf.Tensor {
    this.#checkReady(`state('${path}')`);
    const t = this.#state.get(path);
    if (!t) {
      throw new PopulaceError('invalid-argument', `state('${path}'): model '${this.model}' has no such agent or environment path. Known: ${[...this.#state.keys()].join(', ')}.`, { details: { path } });
    }
    return tf.clone(t);
  }

  /** Frees every tensor of this simulation. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const t of this.#state.values()) t.dispose();
    for (const t of Object.values(this.#paramTensors)) t.dispose();
    for (const g of this.#ready?.networks.values() ?? []) if (g) disposeTensors(g);
    this.#state.clear();
  }

  #checkAlive(): void {
    if (this.#disposed) throw new PopulaceError('disposed', `simulation of '${this.model}' was disposed; create a new one.`);
  }

  #checkReady(what: string): Prepared {
    this.#checkAlive();
    if (!this.#ready) throw new PopulaceError('not-initialized', `${what} needs an initialised simulation: await sim.ready() (or step/run) first.`);
    return this.#ready;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(() => {
      this.#checkAlive();
      return fn();
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #resetState(): void {
    const p = this.#ready!;
    const fresh = initialState(this.#def, p.layout, p.data, this.#params, this.seed);
    for (const t of this.#state.values()) t.dispose();
    this.#state = fresh;
    this.#step = 0;
    for (const name of Object.keys(this.#series)) this.#series[name] = [];
  }

  #source(): ContextSource {
    return { modelId: this.model, seed: this.seed, step: this.#step, params: this.#paramTensors, state: this.#state, networks: this.#ready!.networks, counts: this.#ready!.layout.counts };
  }

  /** One step: every substep in order, then (outside `trace`) the metrics. Synchronous unless a substep acts asynchronously. */
  #advance(tracing: boolean): void | Promise<void> {
    const subs = this.#def.substeps;
    const finish = (): void => {
      if (!tracing) this.#recordMetrics();
      else this.#step += 1;
    };
    const runFrom = (i: number): void | Promise<void> => {
      for (; i < subs.length; i++) {
        const pending = this.#runSubstep(subs[i]!, tracing);
        if (pending) return pending.then(() => runFrom(i + 1));
      }
      finish();
    };
    return runFrom(0);
  }

  #runSubstep(sub: SubstepDefinition<unknown, unknown>, tracing: boolean): Promise<void> | undefined {
    const ctx = substepContext(this.#source(), sub.name, this.#reads.get(sub)!);
    const observation = sub.observe ? tf.tidy(() => sub.observe!(ctx) as tf.TensorContainer) : undefined;
    const action = sub.act?.(ctx, observation);
    const finish = (act: unknown): void => {
      try {
        this.#apply(sub, tf.tidy(() => sub.transition(ctx, observation, act) as tf.TensorContainer) as Record<string, tf.Tensor>);
      } finally {
        disposeTensors(observation);
        disposeTensors(act);
      }
    };
    if (isPromise(action)) {
      if (tracing) throw new PopulaceError('invalid-argument', `trace(): substep '${sub.name}' acted asynchronously; differentiable rollouts need synchronous substeps.`);
      return action.then(finish, (error) => {
        disposeTensors(observation);
        throw error;
      });
    }
    finish(action);
    return undefined;
  }

  #apply(sub: SubstepDefinition<unknown, unknown>, updates: Record<string, tf.Tensor>): void {
    const entries = Object.entries(updates ?? {});
    const fail = (code: 'undeclared-write' | 'invalid-update', message: string): never => {
      for (const [, t] of entries) if (t instanceof tf.Tensor && ![...this.#state.values()].includes(t)) t.dispose();
      throw new PopulaceError(code, message, { details: { substep: sub.name, model: this.model } });
    };
    for (const [path, tensor] of entries) {
      if (!sub.writes.includes(path as StatePath)) {
        fail('undeclared-write', `substep '${sub.name}' of model '${this.model}' wrote '${path}', which it does not declare in writes [${sub.writes.join(', ')}]. Add it to the substep's writes (and the model's state).`);
      }
      const current = this.#state.get(path)!;
      if (!(tensor instanceof tf.Tensor)) fail('invalid-update', `substep '${sub.name}' returned ${typeof tensor} for '${path}'; expected a tensor.`);
      const decl = this.#paths.get(path as StatePath)!;
      if (tensor.dtype !== (decl.dtype as StateDtype) || !tf.util.arraysEqual(tensor.shape, current.shape)) {
        fail('invalid-update', `substep '${sub.name}' returned a ${tensor.dtype} tensor of shape [${tensor.shape.join(', ')}] for '${path}'; expected ${decl.dtype} of shape [${current.shape.join(', ')}]${tensor.dtype !== decl.dtype ? ` (use tf.cast(x, '${decl.dtype}'))` : ''}.`);
      }
    }
    for (const [path, tensor] of entries) {
      const old = this.#state.get(path)!;
      this.#state.set(path, tensor);
      if (old !== tensor && ![...this.#state.values()].includes(old)) old.dispose();
    }
  }

  #computeMetrics(): tf.Tensor[] {
    const src = this.#source();
    return Object.entries(this.#def.metrics).map(([name, m]) => {
      const v = m.compute(metricContext({ ...src, step: this.#step - 1 }, name, this.#reads.get(m)!));
      return typeof v === 'number' ? tf.scalar(v) : tf.cast(tf.reshape(v, []), 'float32');
    });
  }

  #recordMetrics(): void {
    this.#step += 1;
    const names = Object.keys(this.#def.metrics);
    if (names.length === 0) return;
    const stacked = tf.tidy(() => tf.stack(this.#computeMetrics()));
    const values = stacked.dataSync();
    stacked.dispose();
    names.forEach((name, k) => this.#series[name]!.push(values[k]!));
  }

  #latest(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.#series).map(([k, v]) => [k, v[v.length - 1]!]));
  }
}
