/**
 * A Simulation runs one model on one population with one parameter set and
 * one seed. Same seed, same metrics, bit for bit.
 */
import { nextTurn } from './event-loop.js';
import type { BackendInfo } from './backend.js';
import { checkBehavior, type Behavior } from './behavior.js';
import { PopulaceError } from './errors.js';
import { checkInputLengths, type ResolvedInput } from './inputs.js';
import type { ModelDefinition } from './model.js';
import { resolveParams, type ParamValue } from './parameters.js';
import type { AgentTable, PopulationData, PopulationDefinition } from './population.js';
import type { Registered } from './registry.js';
import type { StatePath } from './state-path.js';
import { simulationPopulation, type PopulationDataSource } from './simulation-population.js';
import { checkPopulationFits } from './device-capacity.js';
import { initialState, layoutAgents, networkTensors, type NetworkHandle } from './state-init.js';
import { disposeTensors, StepEngine, type StateMap } from './step-engine.js';
import { HostReads } from './host-reads.js';
import { tf } from './tf.js';

export type { Progress, RunOptions, RunResult } from './run-options.js';
import type { RunOptions, RunResult } from './run-options.js';

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

/**
 * A population built elsewhere for a simulation (e.g. in a worker thread, its typed arrays and
 * networks transferred): the data itself, or a function the simulation calls once when it gets
 * ready (so the build starts with the run, and its rejection fails `ready()`).
 */

/** @internal what the runtime hands a new simulation */
export interface SimulationSetup {
  readonly model: Registered<ModelDefinition>;
  readonly population: Registered<PopulationDefinition> | undefined;
  readonly params: Record<string, ParamValue>;
  readonly seed: number;
  readonly agents: number | undefined;
  /** The population built elsewhere (a worker thread), used instead of `population.definition.build`. */
  readonly populationData?: PopulationDataSource | undefined;
  readonly backend: () => Promise<BackendInfo>;
  readonly activate: () => Promise<void>;
  /** The model's inputs (given values over defaults). */
  readonly inputs?: ReadonlyMap<string, ResolvedInput>;
}

/**
 * A simulation's arguments, resolved and checked as `createSimulation` checks them (model and
 * population ids, fit, seed, agents, every parameter's value within its bounds, inputs), with
 * nothing built: what `runtime.resolveSimulation` and `composition.resolveSimulation` return.
 */
export type ResolvedSimulation = Omit<SimulationSetup, 'backend' | 'activate'>;

interface Prepared {
  readonly info: SimulationInfo;
  readonly data: PopulationData | undefined;
  readonly layout: ReturnType<typeof layoutAgents>;
  readonly networks: Map<string, NetworkHandle | undefined>;
  readonly engine: StepEngine;
}

/** @internal the hook the gradient machinery (calibrate, sensitivity) uses to reach a simulation's engine. */
export const SIMULATION_INTERNALS = Symbol('populace.simulation.internals');

/** @internal the model definition of a simulation, available before it is ready. */
export const SIMULATION_DEFINITION = Symbol('populace.simulation.definition');

/** @internal */
export interface SimulationInternals {
  readonly engine: StepEngine;
  readonly definition: ModelDefinition;
  /** A fresh initial state for the current parameter values (the caller owns it). */
  initialState(): StateMap;
  /** The current parameter tensors (owned by the simulation). */
  paramTensors(): Readonly<Record<string, tf.Tensor>>;
  /** A step engine for a variant of this simulation's model (same population, seed and behaviours), e.g. with instrumented substeps. */
  engineFor(model: ModelDefinition): StepEngine;
}

export class Simulation {
  readonly model: string;
  readonly population: string | undefined;
  readonly seed: number;
  readonly #def: ModelDefinition;
  readonly #setup: SimulationSetup;
  #params: Record<string, ParamValue>;
  #paramTensors: Record<string, tf.Tensor> = {};
  #prepared: Promise<Prepared> | undefined;
  #ready: Prepared | undefined;
  #state: StateMap = new Map();
  #step = 0;
  #series: Record<string, number[]> = {};
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;
  readonly #behaviors = new Map<string, Behavior>();

  /** @internal use `runtime.createSimulation` */
  constructor(setup: SimulationSetup) {
    this.#setup = setup;
    this.#def = setup.model.definition;
    this.model = setup.model.id;
    this.population = setup.population?.id;
    this.seed = setup.seed;
    this.#params = { ...setup.params };
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
    const data = await simulationPopulation(this.model, this.#def, pop, this.#setup.populationData, this.#setup.agents, this.seed);
    await this.#setup.activate();
    const layout = layoutAgents(this.#def, this.model, data, pop?.id, this.#setup.agents ?? this.#def.defaultAgents);
    checkPopulationFits(this.#def, this.model, layout.counts, data); // before any tensor of the population is allocated
    const networks = networkTensors(this.#def, this.model, layout, data, pop?.id);
    const info: SimulationInfo = { model: this.model, population: pop?.id, seed: this.seed, agents: Object.fromEntries(layout.counts), params: this.params, backend };
    const engine = new StepEngine({ modelId: this.model, model: this.#def, seed: this.seed, networks, counts: layout.counts, behaviors: this.#behaviors, ...this.#inputs() });
    this.#ready = { info, data, layout, networks, engine };
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

  /**
   * Fills one of the model's behaviour slots (see `describeModel(id).behaviors`) from the next step on,
   * or empties it with `undefined` (the model's own default returns). Behaviours are data: a
   * simulation with an asynchronous behaviour cannot be differentiated (trace, calibrate, sensitivity).
   */
  useBehavior(slot: string, behavior: Behavior | undefined): void {
    this.#checkAlive();
    const slots = this.#def.behaviors ?? {};
    const spec = Object.hasOwn(slots, slot) ? slots[slot] : undefined;
    if (!spec) {
      const known = Object.keys(slots);
      throw new PopulaceError('invalid-argument', `useBehavior: model '${this.model}' has no behaviour slot '${slot}'; ${known.length ? `it has [${known.join(', ')}]` : 'it declares none'}.`, { details: { slot, known } });
    }
    if (behavior === undefined) {
      this.#behaviors.delete(slot);
      return;
    }
    checkBehavior(behavior, slot, spec, this.model);
    this.#behaviors.set(slot, behavior);
  }

  /** The behaviours filling this simulation's slots, by slot name. */
  behaviors(): Record<string, Behavior> {
    return Object.fromEntries(this.#behaviors);
  }

  /**
   * The built population's table for one agent type (default: the model's first): count, attributes
   * and category labels. Read-only views owned by the simulation. Needs `await ready()` first.
   */
  agentTable(agentType?: string): AgentTable {
    const p = this.#checkReady('agentTable()');
    const type = agentType ?? Object.keys(this.#def.state.agents)[0]!;
    const count = p.layout.counts.get(type);
    if (count === undefined) throw new PopulaceError('invalid-argument', `agentTable: agent type '${type}' is not part of model '${this.model}' (it has [${[...p.layout.counts.keys()].join(', ')}]).`);
    const source = p.layout.sources.get(type);
    const table = source === undefined ? undefined : p.data?.agents[source];
    return { count, attributes: table?.attributes ?? {}, labels: table?.labels ?? {} };
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
      for (let i = 0; i < n; i++) await this.#advance();
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
      if (this.#setup.inputs) checkInputLengths(this.#setup.inputs, this.#step, steps, this.model);
      for (let i = 0; i < steps; i++) {
        if (options.signal?.aborted) {
          throw new PopulaceError('aborted', `run aborted after ${i} of ${steps} steps; metrics of the completed steps are kept.`, { details: { completedSteps: i }, cause: options.signal.reason });
        }
        await this.#advance();
        await options.afterStep?.(this.#step);
        options.onProgress?.({ step: i + 1, steps, totalSteps: this.#step, elapsedMs: performance.now() - t0, latest: this.#latest() });
        await nextTurn();
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
    if (this.#setup.inputs) checkInputLengths(this.#setup.inputs, 0, steps, this.model);
    this.#resetState();
    const { engine } = this.#ready!;
    const perStep: tf.Scalar[][] = engine.metricNames.map(() => []);
    for (let i = 0; i < steps; i++) {
      engine.advance(this.#state, this.#step, this.#paramTensors, true);
      engine.metrics(this.#state, this.#step, this.#paramTensors).forEach((v, k) => perStep[k]!.push(v));
      this.#step += 1;
    }
    const out: Record<string, tf.Tensor1D> = {};
    engine.metricNames.forEach((name, k) => {
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

  /** @internal */
  [SIMULATION_DEFINITION](): ModelDefinition {
    return this.#def;
  }

  /** @internal */
  [SIMULATION_INTERNALS](): SimulationInternals {
    const p = this.#checkReady('calibration and sensitivity');
    return {
      engine: p.engine,
      definition: this.#def,
      initialState: () => initialState(this.#def, p.layout, p.data, this.#params, this.seed),
      paramTensors: () => this.#paramTensors,
      engineFor: (model) => new StepEngine({ modelId: this.model, model, seed: this.seed, networks: p.networks, counts: p.layout.counts, behaviors: this.#behaviors, ...this.#inputs() }),
    };
  }

  /** Frees every tensor of this simulation. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const t of this.#state.values()) t.dispose();
    for (const t of Object.values(this.#paramTensors)) t.dispose();
    for (const g of this.#ready?.networks.values() ?? []) if (g && !('kind' in g)) disposeTensors(g);
    this.#state.clear();
  }

  #inputs(): { inputs?: ReadonlyMap<string, ResolvedInput> } {
    return this.#setup.inputs ? { inputs: this.#setup.inputs } : {};
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

  /** One step of the live simulation, then its metrics recorded. */
  async #advance(): Promise<void> {
    const { engine } = this.#ready!;
    const pending = engine.advance(this.#state, this.#step, this.#paramTensors, false, new HostReads('fetch', false)); // webgpu: numbers read before each substep
    if (pending) await pending;
    const names = engine.metricNames;
    if (names.length > 0) {
      const stacked = tf.tidy(() => tf.stack(engine.metrics(this.#state, this.#step, this.#paramTensors)));
      // an asynchronous read: webgpu under Node has no synchronous one
      const values = await stacked.data();
      stacked.dispose();
      names.forEach((name, k) => this.#series[name]!.push(values[k]!));
    }
    this.#step += 1;
  }

  #latest(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.#series).map(([k, v]) => [k, v[v.length - 1]!]));
  }
}
