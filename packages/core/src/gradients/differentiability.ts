/**
 * Where gradients stop. A gradient method (calibrate, sensitivity) needs every op between a
 * learnable parameter and the differentiated metrics to have a gradient; tfjs only finds out in
 * the reverse pass, after the whole forward rollout, and then names a kernel ("gradient function
 * not found for Equal") but not the substep or metric that ran it. This module runs a short probe
 * on the tape up front (the first steps, with each substep and metric marked), finds the ops
 * without a gradient on a path from the parameters to each metric, and says which substep or
 * metric ran them and why they have none. It also translates tfjs's error when a break shows up
 * only later in a rollout.
 */
import { PopulaceError } from '../errors.js';
import { HostReads, readsAsyncOnly } from '../host-reads.js';
import { countWhereTarget, type MetricContext, type MetricSpec } from '../metrics.js';
import { declaredPaths, type ModelDefinition } from '../model.js';
import { SIMULATION_INTERNALS, type Simulation } from '../simulation.js';
import type { StateMap } from '../step-engine.js';
import type { SubstepContext, SubstepDefinition } from '../substep.js';
import { tf } from '../tf.js';
import { describeValue } from '../validate.js';

/** A substep or metric that runs ops without a gradient on a path from the parameters to a metric. */
export interface GradientBreak {
  readonly kind: 'substep' | 'metric';
  /** The substep's or metric's name. */
  readonly name: string;
  /** The tfjs kernels it runs on that path that have no gradient (e.g. 'Equal', 'LogicalAnd'). */
  readonly ops: readonly string[];
  /** The parameters whose gradient stops there. */
  readonly params: readonly string[];
  /** Non-float32 state those ops read (gradients flow only through float32 state). */
  readonly nonFloatState: readonly string[];
  /** The first step (from 0) at which the probe met it. */
  readonly step: number;
  /** Why there is no gradient there and what to do, in one sentence. */
  readonly reason: string;
}

/** What the probe found, per metric. */
export interface GradientDiagnosis {
  readonly model: string;
  /** The parameters probed. */
  readonly params: readonly string[];
  /** Steps the probe ran on the tape. */
  readonly steps: number;
  /** Breaks on the path from the parameters to each metric (empty: the metric is differentiable). */
  readonly metrics: Readonly<Record<string, readonly GradientBreak[]>>;
  /** The metrics with no break on their path. */
  readonly differentiable: readonly string[];
  /** The metrics each probed parameter reaches through the ops the probe recorded (none: it is inert in this run). */
  readonly reaches: Readonly<Record<string, readonly string[]>>;
}

/** Options of `diagnoseGradients`. */
export interface DiagnoseOptions {
  /** Parameters to probe (default: every learnable one). */
  readonly params?: readonly string[];
  /** Steps to run on the tape (default 2: a substep's output is read back by the next step). */
  readonly steps?: number;
}

/** The engine-internal shape of a tfjs tape node (tfjs-core's TapeNode). */
interface TapeNode {
  readonly kernelName: string;
  readonly inputs: Readonly<Record<string, tf.Tensor | undefined>>;
  readonly outputs: readonly tf.Tensor[];
  readonly gradient?: unknown;
  readonly saved?: readonly tf.Tensor[];
}

type Owner = { readonly kind: 'substep' | 'metric'; readonly name: string };

const COMPARISONS = new Set(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'IsNan', 'IsInf', 'IsFinite']);
const LOGIC = new Set(['LogicalAnd', 'LogicalOr', 'LogicalNot', 'LogicalXor']);
const INDEXING = new Set(['ArgMax', 'ArgMin', 'TopK', 'Unique', 'SearchSorted', 'Bincount', 'DenseBincount']);
const SAMPLING = new Set(['Multinomial', 'RandomUniform', 'RandomNormal', 'RandomStandardNormal', 'RandomGamma']);

const VIEWS = new Set(['Cast', 'Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'Clone']);

const activeTape = (): TapeNode[] => (tf.engine().state as unknown as { activeTape: TapeNode[] | null }).activeTape ?? [];
const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

/** Why these ops have no gradient. */
function whyNoGradient(ops: readonly string[]): string {
  const kinds: string[] = [];
  if (ops.some((o) => COMPARISONS.has(o))) kinds.push('comparisons');
  if (ops.some((o) => LOGIC.has(o))) kinds.push('boolean logic');
  if (ops.some((o) => INDEXING.has(o))) kinds.push('index selection');
  const plural = kinds.length > 1 || kinds[0] === 'comparisons';
  if (kinds.length > 0) return `${kinds.join(' and ')} ${plural ? 'are' : 'is'} piecewise constant and ${plural ? 'have' : 'has'} no gradient`;
  if (ops.some((o) => SAMPLING.has(o))) return 'random sampling ops have no gradient';
  return 'tfjs registers no gradient for them';
}

/** The reason sentence of a break. */
function explain(owner: Owner, model: ModelDefinition, modelId: string, ops: readonly string[], params: readonly string[], nonFloat: readonly string[]): string {
  const opList = ops.join(', ');
  if (owner.kind === 'metric') {
    const spec = model.metrics[owner.name]!;
    const target = countWhereTarget(spec);
    if (target) {
      const dtype = declaredPaths(model.state).get(target.path)?.dtype ?? 'float32';
      const what = dtype === 'float32' ? `float32 state '${target.path}' for the value ${target.value} (only 0/1 indicators counted for 0 or 1 have a gradient)` : `${dtype} state '${target.path}'`;
      return `metric '${owner.name}' of ${modelId} counts ${what} with countWhere (comparisons have no gradient): report a float32 0/1 indicator with sumOf or countWhere(path, 1), or choose another output`;
    }
    return `metric '${owner.name}' of ${modelId} runs ${opList} on values that depend on ${params.join(', ')} (${whyNoGradient(ops)}): use a differentiable reporter (sumOf, meanOf, countWhere on a float32 0/1 indicator), or choose another output`;
  }
  const stateNote = nonFloat.length > 0 ? `; it compares ${quoted(nonFloat)}, which ${nonFloat.length > 1 ? 'are' : 'is'} not float32 (gradients flow only through float32 state)` : '';
  const fix = ops.some((o) => COMPARISONS.has(o) || LOGIC.has(o) || SAMPLING.has(o))
    ? 'draw events with ctx.sample.bernoulli or ctx.sample.hazard (surrogate gradients) into float32 0/1 state instead of comparing random draws'
    : 'replace them with differentiable ops or a tf.customGrad surrogate';
  return `substep '${owner.name}' of ${modelId} runs ${opList} on values that depend on ${params.join(', ')} (${whyNoGradient(ops)}${stateNote}): ${fix}`;
}

/** A copy of the model whose substeps and metrics report when they start running. */
function instrument(model: ModelDefinition, mark: (owner: Owner) => void): ModelDefinition {
  const wrap = <A extends unknown[], R>(owner: Owner, fn: ((...args: A) => R) | undefined): ((...args: A) => R) | undefined =>
    fn && ((...args: A) => {
      mark(owner);
      return fn(...args);
    });
  const substeps = model.substeps.map((s): SubstepDefinition<unknown, unknown> => {
    const owner: Owner = { kind: 'substep', name: s.name };
    const observe = wrap<[SubstepContext], unknown>(owner, s.observe);
    const act = wrap<[SubstepContext, unknown], unknown>(owner, s.act);
    return { ...s, ...(observe ? { observe } : {}), ...(act ? { act } : {}), transition: wrap(owner, s.transition)! };
  });
  const metrics = Object.fromEntries(Object.entries(model.metrics).map(([name, m]): [string, MetricSpec] => [name, { ...m, compute: wrap<[MetricContext], tf.Tensor | number>({ kind: 'metric', name }, m.compute)! }]));
  return { ...model, substeps, metrics };
}

/**
 * Runs the probe synchronously on a ready simulation: `steps` steps from its initial state on the
 * tape, with `paramNames` as the sources. Every tensor it makes is freed.
 */
export function probeGradients(sim: Simulation, paramNames: readonly string[], steps = 2, host?: HostReads): GradientDiagnosis {
  const internals = sim[SIMULATION_INTERNALS]();
  const model = internals.definition;
  const marks: { at: number; owner: Owner }[] = [];
  const engine = internals.engineFor(instrument(model, (owner) => marks.push({ at: activeTape().length, owner })));
  const current = internals.paramTensors();
  const sources = paramNames.map((n) => tf.cast(current[n]!, 'float32'));
  const params = { ...current, ...Object.fromEntries(paramNames.map((n, i) => [n, sources[i]!])) };
  const dtypes = declaredPaths(model.state);
  const statePathOf = new Map<number, string>();
  const metricIds: number[][] = engine.metricNames.map(() => []);
  const stepOfNode: number[] = [];
  let nodes: TapeNode[] = [];
  let base = 0;
  const state: StateMap = internals.initialState();
  const made = [...state.values()];
  try {
    const { value, grads } = tf.engine().gradients(() => {
      base = activeTape().length;
      try {
        for (let t = 0; t < steps; t++) {
          for (const [p, x] of state) statePathOf.set(x.id, p);
          const from = activeTape().length;
          engine.advance(state, t, params, true, host);
          engine.metrics(state, t, params).forEach((m, j) => metricIds[j]!.push(m.id));
          for (let i = from; i < activeTape().length; i++) stepOfNode[i - base] = t;
        }
      } finally {
        nodes = activeTape().slice(base);
      }
      return tf.scalar(0);
    }, sources, undefined, true);
    value.dispose();
    grads.forEach((g) => g?.dispose());
  } catch (error) {
    for (const node of nodes) node.saved?.forEach((t) => t.dispose());
    throw error;
  } finally {
    made.forEach((t) => t.dispose());
    state.forEach((t) => t.dispose());
    sources.forEach((t) => t.dispose());
  }

  // owner of each node: the substep or metric that marked last before it was recorded
  const owners: Owner[] = [];
  let m = 0;
  for (let i = 0; i < nodes.length; i++) {
    while (m + 1 < marks.length && marks[m + 1]!.at - base <= i) m++;
    owners.push(marks[m]?.owner ?? { kind: 'substep', name: '?' });
  }
  // forward: which parameters each node depends on
  const reach = new Map<number, Set<number>>(sources.map((s, i) => [s.id, new Set([i])]));
  const nodeParams: (Set<number> | undefined)[] = nodes.map((node) => {
    let from: Set<number> | undefined;
    for (const x of Object.values(node.inputs)) {
      const r = x && reach.get(x.id);
      if (r) from = new Set([...(from ?? []), ...r]);
    }
    if (from) for (const o of node.outputs) reach.set(o.id, from);
    // a cast or reshape of a state tensor still reads that state
    const viewed = VIEWS.has(node.kernelName) ? Object.values(node.inputs).map((x) => x && statePathOf.get(x.id)).find(Boolean) : undefined;
    if (viewed) for (const o of node.outputs) statePathOf.set(o.id, viewed);
    return from;
  });
  // backward, per metric: the nodes on a path to it that depend on a parameter and lack a gradient
  const perMetric: Record<string, GradientBreak[]> = {};
  engine.metricNames.forEach((name, j) => {
    const wanted = new Set(metricIds[j]);
    const found = new Map<string, { owner: Owner; ops: string[]; params: Set<number>; nonFloat: Set<string>; step: number }>();
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      if (!nodeParams[i] || !node.outputs.some((o) => wanted.has(o.id))) continue;
      for (const x of Object.values(node.inputs)) if (x) wanted.add(x.id);
      if (node.gradient) continue;
      const owner = owners[i]!;
      const key = `${owner.kind}:${owner.name}`;
      const entry = found.get(key) ?? { owner, ops: [], params: new Set<number>(), nonFloat: new Set<string>(), step: stepOfNode[i]! };
      if (!entry.ops.includes(node.kernelName)) entry.ops.push(node.kernelName);
      nodeParams[i]!.forEach((p) => entry.params.add(p));
      for (const x of Object.values(node.inputs)) {
        const path = x && statePathOf.get(x.id);
        if (path && (dtypes.get(path as never)?.dtype ?? 'float32') !== 'float32') entry.nonFloat.add(path);
      }
      entry.step = Math.min(entry.step, stepOfNode[i]!);
      found.set(key, entry);
    }
    perMetric[name] = [...found.values()]
      .sort((a, b) => (a.owner.kind === b.owner.kind ? 0 : a.owner.kind === 'metric' ? -1 : 1))
      .map(({ owner, ops, params: ps, nonFloat, step }) => {
        const names = [...ps].sort().map((p) => paramNames[p]!);
        const opsInOrder = [...ops].reverse();
        return { kind: owner.kind, name: owner.name, ops: opsInOrder, params: names, nonFloatState: [...nonFloat], step, reason: explain(owner, model, sim.model, opsInOrder, names, [...nonFloat]) };
      });
  });
  const reaches = Object.fromEntries(paramNames.map((p, i) => [p, engine.metricNames.filter((_, j) => metricIds[j]!.some((id) => reach.get(id)?.has(i)))]));
  return { model: sim.model, params: [...paramNames], steps, metrics: perMetric, differentiable: engine.metricNames.filter((n) => perMetric[n]!.length === 0), reaches };
}

/**
 * Probes a simulation's gradient paths: which metrics are differentiable with respect to which
 * learnable parameters, and for the others which substep or metric runs an op without a gradient,
 * and why. Builds the population if needed; runs `steps` steps (default 2) on the tape.
 *
 * @example
 * ```ts
 * const d = await diagnoseGradients(sim);
 * d.differentiable;            // ['newInfections', ...]
 * d.metrics.I[0]?.reason;      // "metric 'I' of toy/sir counts int32 state ... with countWhere ..."
 * ```
 */
export async function diagnoseGradients(sim: Simulation, options: DiagnoseOptions = {}): Promise<GradientDiagnosis> {
  const steps = options.steps ?? 2;
  if (!Number.isInteger(steps) || steps < 1) throw new PopulaceError('invalid-argument', `diagnoseGradients: steps expected a positive integer, received ${describeValue(options.steps)}.`);
  await sim.ready();
  const specs = sim[SIMULATION_INTERNALS]().definition.parameters;
  const learnable = Object.keys(specs).filter((n) => specs[n]!.learnable);
  const params = options.params ?? learnable;
  for (const p of params) {
    if (!learnable.includes(p)) throw new PopulaceError('invalid-param', `diagnoseGradients: '${p}' is not a learnable parameter of '${sim.model}'; learnable: ${learnable.join(', ') || '(none)'}.`, { details: { param: p, learnable } });
  }
  if (params.length === 0) throw new PopulaceError('invalid-argument', `diagnoseGradients: model '${sim.model}' has no learnable parameters to probe.`);
  return probeGradients(sim, params, steps);
}

/** What a gradient method is differentiating, for its error messages. */
export interface GradientTarget {
  /** 'sensitivity' or 'calibrate'. */
  readonly where: string;
  readonly params: readonly string[];
  /** The metrics the loss reads. */
  readonly metrics: readonly string[];
  /** The output as the user named it (e.g. 'I:sum'); default the metric list. */
  readonly label?: string;
}

/** The PopulaceError for the breaks on the path to `target.metrics`, or undefined when there are none. */
export function notDifferentiable(diagnosis: GradientDiagnosis, target: GradientTarget): PopulaceError | undefined {
  const seen = new Set<string>();
  const breaks = target.metrics.flatMap((m) => diagnosis.metrics[m] ?? []).filter((b) => !seen.has(`${b.kind}:${b.name}`) && seen.add(`${b.kind}:${b.name}`));
  if (breaks.length === 0) return undefined;
  const params = [...new Set(breaks.flatMap((b) => b.params))];
  const label = target.label ?? target.metrics.join(', ');
  const others = diagnosis.differentiable.filter((m) => !target.metrics.includes(m));
  const outputs = others.length > 0 ? ` Differentiable outputs of ${diagnosis.model}: ${others.join(', ')}.` : '';
  const reasons = breaks.map((b) => b.reason).join('; ');
  return new PopulaceError('not-differentiable', `${target.where}: ${label} of ${diagnosis.model} has no gradient with respect to ${params.join(', ')}: ${reasons}.${outputs}`, {
    details: { model: diagnosis.model, output: label, params, breaks: breaks.map(({ kind, name, ops, step }) => ({ kind, name, ops, step })), differentiable: diagnosis.differentiable },
  });
}

/**
 * Throws a 'not-differentiable' PopulaceError when the probe finds a break on the path from
 * `target.params` to `target.metrics` in the first steps. The simulation must be ready.
 */
export async function assertDifferentiable(sim: Simulation, target: GradientTarget): Promise<void> {
  const error = notDifferentiable(probeGradients(sim, target.params, 2, await hostReadLog(sim, 2)), target);
  if (error) throw error;
}

/**
 * On a backend that reads its device asynchronously only (webgpu): the host reads of `steps` steps
 * from the initial state, fetched off the tape, for a synchronous re-run on the tape to replay;
 * undefined on every other backend.
 */
async function hostReadLog(sim: Simulation, steps: number): Promise<HostReads | undefined> {
  if (!readsAsyncOnly()) return undefined;
  const { engine, initialState, paramTensors } = sim[SIMULATION_INTERNALS]();
  const host = new HostReads('fetch', true);
  const state = initialState();
  const params = paramTensors();
  try {
    for (let t = 0; t < steps; t++) await engine.advance(state, t, params, true, host);
  } finally {
    state.forEach((x) => x.dispose());
  }
  host.mode = 'replay';
  return host;
}

const MISSING_GRADIENT = /gradient function not found for (\w+)/;

/**
 * Turns tfjs's "Cannot compute gradient: gradient function not found for X", thrown in a
 * rollout's reverse pass, into a 'not-differentiable' PopulaceError naming the substep or metric
 * that ran X (re-probing `probeSteps` steps to find it). Any other error comes back unchanged.
 */
export function translateGradientError(error: unknown, sim: Simulation, target: GradientTarget, probeSteps: number): unknown {
  const match = error instanceof Error && !PopulaceError.isInstance(error) ? MISSING_GRADIENT.exec(error.message) : null;
  if (!match) return error;
  const op = match[1]!;
  let diagnosis: GradientDiagnosis | undefined;
  try {
    diagnosis = probeGradients(sim, target.params, Math.max(2, probeSteps));
  } catch {
    diagnosis = undefined;
  }
  const found = diagnosis && notDifferentiable(diagnosis, target);
  if (found) return found;
  const subs = sim[SIMULATION_INTERNALS]().definition.substeps.map((s) => s.name);
  return new PopulaceError('not-differentiable', `${target.where}: ${target.label ?? target.metrics.join(', ')} of ${sim.model} has no gradient: the reverse pass met the tfjs op ${op}, which has no gradient (${whyNoGradient([op])}), after the first ${Math.max(2, probeSteps)} steps, in one of the substeps [${subs.join(', ')}] or metrics [${target.metrics.join(', ')}]. Make that op differentiable or choose another output.`, {
    details: { model: sim.model, op, output: target.label ?? target.metrics.join(', ') },
    cause: error,
  });
}

/**
 * Runs a rollout (`fn`) and turns a missing-gradient failure of its reverse pass into a
 * 'not-differentiable' PopulaceError (see `translateGradientError`).
 */
export function withGradientDiagnosis<T>(sim: Simulation, target: GradientTarget, probeSteps: number, fn: () => T): T {
  try {
    const out = fn();
    // an asynchronous rollout (webgpu) fails later
    if (out instanceof Promise) return out.catch((error: unknown) => Promise.reject(translateGradientError(error, sim, target, probeSteps))) as T;
    return out;
  } catch (error) {
    throw translateGradientError(error, sim, target, probeSteps);
  }
}
