/**
 * The step machinery shared by ordinary runs and differentiable rollouts:
 * substeps in order (observe -> act -> transition) with their contracts
 * enforced, then metrics. It owns no state: callers pass the state map, which
 * it updates in place, and the parameter tensors to use.
 */
import type { Behavior } from './behavior.js';
import { PopulaceError } from './errors.js';
import { HOST_READ_MAX_ELEMENTS, type HostReads } from './host-reads.js';
import { withEventHook, type EventHook } from './kernels/ops/event-hook.js';
import type { ResolvedInput } from './inputs.js';
import { declaredPaths, type ModelDefinition } from './model.js';
import type { NetworkHandle } from './state-init.js';
import type { StatePath } from './state-path.js';
import { metricContext, substepContext, type ContextSource } from './substep-context.js';
import type { SubstepDefinition } from './substep.js';
import { tf } from './tf.js';

export type StateMap = Map<string, tf.Tensor>;

export interface EngineConfig {
  readonly modelId: string;
  readonly model: ModelDefinition;
  readonly seed: number;
  readonly networks: ReadonlyMap<string, NetworkHandle | undefined>;
  readonly counts: ReadonlyMap<string, number>;
  /** The behaviours filling the model's slots (the simulation may change them between steps). */
  readonly behaviors?: ReadonlyMap<string, Behavior>;
  /** The model's inputs (given values over defaults). */
  readonly inputs?: ReadonlyMap<string, ResolvedInput>;
}

const NO_BEHAVIORS: ReadonlyMap<string, Behavior> = new Map();

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as Promise<unknown>)?.then === 'function';

/** Disposes every tensor inside a value (tensors, arrays and plain objects of them). */
export function disposeTensors(value: unknown): void {
  if (value instanceof tf.Tensor) value.dispose();
  else if (Array.isArray(value)) value.forEach(disposeTensors);
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) Object.values(value).forEach(disposeTensors);
}

export class StepEngine {
  readonly metricNames: readonly string[];
  readonly #cfg: EngineConfig;
  readonly #paths: ReturnType<typeof declaredPaths>;
  readonly #reads: Map<object, Set<string>>;

  constructor(cfg: EngineConfig) {
    this.#cfg = cfg;
    this.#paths = declaredPaths(cfg.model.state);
    this.#reads = new Map<object, Set<string>>([
      ...cfg.model.substeps.map((s): [object, Set<string>] => [s, new Set(s.reads)]),
      ...Object.values(cfg.model.metrics).map((m): [object, Set<string>] => [m, new Set(m.reads)]),
    ]);
    this.metricNames = Object.keys(cfg.model.metrics);
  }

  #source(state: StateMap, step: number, params: Readonly<Record<string, tf.Tensor>>): ContextSource {
    const { modelId, seed, networks, counts, model } = this.#cfg;
    return { modelId, seed, step, params, state, networks, counts, periods: model.parameters, slots: model.behaviors ?? {}, behaviors: this.#cfg.behaviors ?? NO_BEHAVIORS, ...(this.#cfg.inputs ? { inputs: this.#cfg.inputs } : {}) };
  }

  /**
   * Computes step `step` on `state` (updated in place). Synchronous unless a substep acts
   * asynchronously; with `sync`, an asynchronous act is an error (differentiable rollouts).
   * `host`: on a backend that reads its device asynchronously only (webgpu), the parameters and
   * the substep's environment reads are made readable as numbers before each substep (see
   * host-reads.ts); in its `fetch` mode that may make the step asynchronous. `hook`: an event hook
   * active while each substep runs (only then, never across an await).
   */
  advance(state: StateMap, step: number, params: Readonly<Record<string, tf.Tensor>>, sync: boolean, host?: HostReads, hook?: EventHook): void | Promise<void> {
    const subs = this.#cfg.model.substeps;
    const runFrom = (i: number, prepared = false): void | Promise<void> => {
      for (; i < subs.length; i++) {
        const sub = subs[i]!;
        if (!prepared && host) {
          const ready = host.prepare(`${step}:${i}`, () => this.#hostCandidates(sub, state, params));
          if (ready) return ready.then(() => runFrom(i, true));
        }
        prepared = false;
        const pending = hook ? withEventHook(hook, () => this.#runSubstep(sub, state, step, params, sync)) : this.#runSubstep(sub, state, step, params, sync);
        if (pending) return pending.then(() => runFrom(i + 1));
      }
    };
    return runFrom(0);
  }

  /** What a substep may read as numbers: every parameter and its small environment reads. */
  #hostCandidates(sub: SubstepDefinition<unknown, unknown>, state: StateMap, params: Readonly<Record<string, tf.Tensor>>): [string, tf.Tensor][] {
    const out: [string, tf.Tensor][] = Object.entries(params).map(([n, t]) => [`param:${n}`, t]);
    for (const path of this.#reads.get(sub)!) {
      const t = path.startsWith('env/') ? state.get(path) : undefined;
      if (t !== undefined && t.size <= HOST_READ_MAX_ELEMENTS) out.push([path, t]);
    }
    return out;
  }

  /** The metrics of the step just computed, as float32 scalars in `metricNames` order (the caller owns them). */
  metrics(state: StateMap, step: number, params: Readonly<Record<string, tf.Tensor>>): tf.Scalar[] {
    const src = this.#source(state, step, params);
    return Object.entries(this.#cfg.model.metrics).map(([name, m]) =>
      tf.tidy(() => {
        const v = m.compute(metricContext(src, name, this.#reads.get(m)!));
        return (typeof v === 'number' ? tf.scalar(v) : tf.cast(tf.reshape(v, []), 'float32')) as tf.Scalar;
      }),
    );
  }

  #runSubstep(sub: SubstepDefinition<unknown, unknown>, state: StateMap, step: number, params: Readonly<Record<string, tf.Tensor>>, sync: boolean): Promise<void> | undefined {
    const ctx = substepContext(this.#source(state, step, params), sub.name, this.#reads.get(sub)!);
    const observation = sub.observe ? tf.tidy(() => sub.observe!(ctx) as tf.TensorContainer) : undefined;
    const action = sub.act?.(ctx, observation);
    const finish = (act: unknown): void => {
      try {
        this.#apply(sub, state, tf.tidy(() => sub.transition(ctx, observation, act) as tf.TensorContainer) as Record<string, tf.Tensor>);
      } finally {
        disposeTensors(observation);
        disposeTensors(act);
      }
    };
    if (isPromise(action)) {
      if (sync) {
        disposeTensors(observation);
        throw new PopulaceError('invalid-argument', `substep '${sub.name}' acted asynchronously; differentiable rollouts (trace, calibrate, sensitivity) need synchronous substeps.`);
      }
      return action.then(finish, (error) => {
        disposeTensors(observation);
        throw error;
      });
    }
    finish(action);
    return undefined;
  }

  #apply(sub: SubstepDefinition<unknown, unknown>, state: StateMap, updates: Record<string, tf.Tensor>): void {
    const entries = Object.entries(updates ?? {});
    const live = new Set(state.values());
    const fail = (code: 'undeclared-write' | 'invalid-update', message: string): never => {
      for (const [, t] of entries) if (t instanceof tf.Tensor && !live.has(t)) t.dispose();
      throw new PopulaceError(code, message, { details: { substep: sub.name, model: this.#cfg.modelId } });
    };
    for (const [path, tensor] of entries) {
      if (!sub.writes.includes(path as StatePath)) {
        fail('undeclared-write', `substep '${sub.name}' of model '${this.#cfg.modelId}' wrote '${path}', which it does not declare in writes [${sub.writes.join(', ')}]. Add it to the substep's writes (and the model's state).`);
      }
      if (!(tensor instanceof tf.Tensor)) fail('invalid-update', `substep '${sub.name}' returned ${typeof tensor} for '${path}'; expected a tensor.`);
      const current = state.get(path)!;
      const dtype = this.#paths.get(path as StatePath)!.dtype;
      if (tensor.dtype !== dtype || !tf.util.arraysEqual(tensor.shape, current.shape)) {
        fail('invalid-update', `substep '${sub.name}' returned a ${tensor.dtype} tensor of shape [${tensor.shape.join(', ')}] for '${path}'; expected ${dtype} of shape [${current.shape.join(', ')}]${tensor.dtype !== dtype ? ` (use tf.cast(x, '${dtype}'))` : ''}.`);
      }
    }
    for (const [path, tensor] of entries) state.set(path, tensor);
    // free the tensors these updates replaced (unless still held under another path)
    const stillLive = new Set(state.values());
    for (const t of live) if (!stillLive.has(t)) t.dispose();
  }
}
