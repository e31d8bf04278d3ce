/**
 * Substeps: one stage of a simulation step, observe -> act -> transition over
 * tensors. Each declares the state paths it reads and writes; the runtime
 * enforces both.
 */
import type { BehaviorContext } from './behavior.js';
import type { NetworkHandle } from './state-init.js';
import type { StatePath } from './state-path.js';
import { parsePath } from './state-path.js';
import type { tf } from './tf.js';
import { assertDefinition, deepFreeze, isPlainObject, LOCAL_NAME } from './validate.js';

/** Counter-based random draws for the current (seed, step, substep). */
export interface RandomDraws {
  /**
   * Uniform numbers in (0, 1): one per agent of `agentType`, or of an explicit shape.
   * `stream` separates independent draws within one substep.
   */
  uniform(target: string | readonly number[], stream?: string): tf.Tensor;
}

export interface SampleOptions {
  /** Multiplies the draw (e.g. the susceptible indicator); default 1. */
  readonly mask?: tf.Tensor | number;
  /** Separates independent draws within one substep (default 'default'). */
  readonly stream?: string;
  /** Surrogate gradient (default straight-through). */
  readonly gradient?: 'straight-through' | 'jump-weighted';
  /**
   * Per-element clocks (non-negative integers below 2^24; one per element, or one for all) that
   * key the draws instead of the step: element i at clock c draws the same uniform at whatever
   * step it comes, e.g. with the days since an agent's infection as its clock, the agent's course
   * is the same when its infection moves to another day. That is what keeps the stochastic
   * derivative's alternative paths coupled to the primal (GRADIENTS.md). The law is unchanged
   * provided an element never draws twice at one clock value from one stream within a run
   * (clocks that only grow during the period they drive), and draws stay distinct while
   * clock x elements < 2^32.
   */
  readonly clock?: tf.Tensor | number;
}

/** Options of a first-passage event (`ctx.sample.threshold`). */
export interface ThresholdOptions extends Omit<SampleOptions, 'clock'> {
  /** 'probability' (default): `cumulative` is the running probability; 'hazard': an accumulated hazard H, probability 1 - exp(-H). */
  readonly scale?: 'probability' | 'hazard';
}

/** Fused, differentiable Bernoulli events keyed by (seed, step, substep, stream), or by (seed, substep, stream, clock) with a clock. */
export interface EventSampler {
  /** 1[u < p] * mask per element (float32), with a surrogate gradient for p and the mask. */
  bernoulli(p: tf.Tensor | number, options?: SampleOptions): tf.Tensor;
  /** 1[u < 1 - exp(-rate * exposure)] * mask: an event driven by a hazard, e.g. infection pressure. */
  hazard(rate: tf.Tensor | number, exposure: tf.Tensor, options?: SampleOptions): tf.Tensor;
  /**
   * A first-passage (Sellke) event: 1[u < cumulative] * mask, where element i keeps ONE uniform
   * u per stream for the whole run (a threshold) and `cumulative` is a running probability, e.g.
   * 1 - exp(-accumulated hazard) of an agent while it is susceptible. The event happens at the
   * first step the running probability passes the threshold; with cumulative_t = 1 - exp(-sum of
   * daily hazards) that is the same law as a fresh daily draw with each day's hazard. The contract:
   * `cumulative` does not fall for an element while its mask is 1, and the mask drops to 0 once the
   * event happened (an infected agent is no longer susceptible). Because who escapes then depends
   * on the hazard received, not on the days it came, the stochastic derivative's alternative paths
   * stay coupled (GRADIENTS.md): it differentiates such an event by moving the passage one step.
   * With `scale: 'hazard'`, `cumulative` is an accumulated hazard H, passed with probability
   * 1 - exp(-H) (computed in the kernel, in float64 on cpu). The surrogate (straight-through)
   * gradient is that of `bernoulli(cumulative)` (or of `hazard(1, H)`).
   */
  threshold(cumulative: tf.Tensor | number, options?: ThresholdOptions): tf.Tensor;
}

/** A filled behaviour slot as a substep sees it. */
export interface BehaviorHandle {
  /** What produces the values (shown in reports). */
  readonly id: string;
  /**
   * One float32 value per agent of the slot's agent type, checked against the slot's range.
   * Asynchronous: call it from `act`. The caller owns the tensor (an `act` result is disposed for you).
   */
  sample(context: BehaviorContext): Promise<tf.Tensor>;
}

/**
 * What a substep sees. Tensors it gets are owned by the simulation: do not dispose them.
 * `P` is the paths it may read (its `reads`, typed when they are literals).
 */
export interface SubstepContext<P extends string = StatePath> {
  /** Index of the step being computed (0 for the first). */
  readonly step: number;
  readonly seed: number;
  /**
   * The raw parameter tensors (tf.Variables for learnable ones during calibration).
   *
   * @deprecated Read parameters with `ctx.param(name)`: it checks the name, and for a time-varying
   * parameter gives the entry of the current step (`params[name]` is the whole series). Kept so
   * that existing substeps still compile; it will be removed in a major version.
   */
  readonly params: Readonly<Record<string, tf.Tensor>>;
  /**
   * A parameter's value at this step, the one way to read a parameter in a substep: the scalar
   * itself, or for a time-varying parameter the entry of the current period (`step / period`, the
   * last entry past the end). Differentiable; an unknown name throws `unknown-param`.
   */
  param(name: string): tf.Tensor;
  /** A declared-readable piece of state. */
  get(path: P): tf.Tensor;
  /** A declared-readable network, or undefined when the population has none by that name and it is optional. */
  network(name: string): NetworkHandle | undefined;
  /** `out[i] = sum over in-contacts c of i of w * values[c]` on a declared-readable network (differentiable). */
  messagePass(network: string, values: tf.Tensor): tf.Tensor;
  /** Number of agents of a type. */
  count(agentType: string): number;
  /**
   * The value of a declared input at this step, as a float32 scalar (from data, a default, or in a
   * composed run another model's metric, differentiable through the link).
   */
  input(name: string): tf.Tensor;
  /**
   * The behaviour filling one of the model's declared slots, or undefined when the simulation left
   * it empty (then the substep uses its own default). Behaviours are data: not differentiable.
   */
  behavior(slot: string): BehaviorHandle | undefined;
  readonly random: RandomDraws;
  /**
   * Fused Bernoulli events (one kernel each on cpu and wasm). They draw the same uniforms as
   * `random.uniform(..., stream)`, so `sample.bernoulli(p, { stream })` equals
   * `bernoulli(p, random.uniform(type, stream))`.
   */
  readonly sample: EventSampler;
}

/** State updates: new tensors for declared-writable paths. */
export type StateUpdates<W extends string = StatePath> = Partial<Record<W, tf.Tensor>>;

/**
 * A substep. `R` and `W` are the paths it reads and writes: literal unions when they are written
 * as literals (then `ctx.get` and the updates are checked against them, and `defineModel` checks
 * them against the model's state), `StatePath` otherwise.
 */
export interface SubstepDefinition<Obs = unknown, Act = unknown, R extends StatePath = StatePath, W extends StatePath = StatePath> {
  readonly name: string;
  readonly description?: string;
  readonly reads: readonly R[];
  readonly writes: readonly W[];
  /**
   * Paths among `writes` that are smooth functions of the parameters along a path whose random
   * draws are held (e.g. an ODE's state and outputs). The stochastic derivative carries their
   * perturbation from step to step when it replays steps at theta +/- h, so an event's
   * probability slope includes the parameter's effect through them; other state is taken from
   * the primal path.
   */
  readonly continuous?: readonly W[];
  /** Reads state into an observation (synchronous tensor work). */
  readonly observe?: (ctx: SubstepContext<R>) => Obs;
  /** Decides actions; may be asynchronous (an LLM policy, say). Tensors it returns are disposed after the substep. */
  readonly act?: (ctx: SubstepContext<R>, observation: Obs) => Act | Promise<Act>;
  /**
   * Produces the new state (synchronous tensor work; intermediates are freed). Updates are typed
   * loosely (any state path) so that generic substep builders compile; the step refuses an update
   * to a path outside `writes` when it runs.
   */
  readonly transition: (ctx: SubstepContext<R>, observation: Obs, action: Act) => StateUpdates<W> | StateUpdates;
}

/**
 * Declares a substep. Pure: validates, freezes and returns it.
 *
 * @example
 * ```ts
 * const drift = defineSubstep({
 *   name: 'drift',
 *   reads: ['agents/walkers/x'],
 *   writes: ['agents/walkers/x'],
 *   transition: (ctx) => ({ 'agents/walkers/x': ctx.get('agents/walkers/x').add(ctx.param('speed')) }),
 * });
 * ```
 */
export function defineSubstep<Obs = unknown, Act = unknown, const R extends StatePath = StatePath, const W extends StatePath = StatePath>(input: SubstepDefinition<Obs, Act, R, W>): SubstepDefinition<Obs, Act, R, W> {
  assertDefinition(isPlainObject(input), 'defineSubstep', 'an object { name, reads, writes, transition }', input);
  const where = `defineSubstep(${typeof input.name === 'string' ? input.name : '?'})`;
  assertDefinition(typeof input.name === 'string' && LOCAL_NAME.test(input.name), `${where}.name`, 'a name of letters, digits, _ or -', input.name);
  for (const key of ['reads', 'writes'] as const) {
    const paths = input[key];
    assertDefinition(Array.isArray(paths), `${where}.${key}`, 'an array of state paths', paths);
    for (const p of paths) {
      assertDefinition(typeof p === 'string' && parsePath(p) !== undefined, `${where}.${key}`, "state paths such as 'agents/people/status', 'env/day' or 'networks/contacts'", p);
    }
  }
  for (const p of input.writes) {
    assertDefinition(!p.startsWith('networks/'), `${where}.writes`, 'agent or environment paths (networks are read-only)', p);
  }
  assertDefinition(input.continuous === undefined || (Array.isArray(input.continuous) && input.continuous.every((p) => input.writes.includes(p))), `${where}.continuous`, 'an array of paths among writes', input.continuous);
  for (const key of ['observe', 'act'] as const) {
    assertDefinition(input[key] === undefined || typeof input[key] === 'function', `${where}.${key}`, 'a function or nothing', input[key]);
  }
  assertDefinition(typeof input.transition === 'function', `${where}.transition`, 'a function (ctx, observation, action) => updates', input.transition);
  return deepFreeze({ ...input, reads: [...input.reads], writes: [...input.writes], ...(input.continuous ? { continuous: [...input.continuous] } : {}) });
}
