/**
 * The contexts substeps and metrics see: access checked against their
 * declared reads, counter-based randomness keyed by (seed, step, substep, stream).
 */
import { sampleBehavior, type Behavior, type BehaviorSlots } from './behavior.js';
import { PopulaceError } from './errors.js';
import { bernoulliEvent } from './kernels/ops/bernoulli-event.js';
import { gatherReduce } from './kernels/ops/gather-reduce.js';
import { hashedGather } from './kernels/ops/hashed-gather.js';
import type { NetworkHandle } from './state-init.js';
import type { MetricContext } from './metrics.js';
import type { ParameterSpecs } from './parameters.js';
import { inputAt, type ResolvedInput } from './inputs.js';
import { cacheOnHost, hostValues } from './host-reads.js';
import { fillUniform, hashString, streamKey } from './random.js';
import type { StatePath } from './state-path.js';
import type { EventSampler, RandomDraws, SampleOptions, SubstepContext } from './substep.js';
import { tf } from './tf.js';

/** What a context reads from: the live simulation. */
export interface ContextSource {
  readonly modelId: string;
  readonly seed: number;
  readonly step: number;
  readonly params: Readonly<Record<string, tf.Tensor>>;
  readonly state: ReadonlyMap<string, tf.Tensor>;
  readonly networks: ReadonlyMap<string, NetworkHandle | undefined>;
  readonly counts: ReadonlyMap<string, number>;
  /** Parameter declarations (for the periods of time-varying ones). */
  readonly periods: ParameterSpecs;
  /** The model's behaviour slots and the behaviours filling them. */
  readonly slots: BehaviorSlots;
  readonly behaviors: ReadonlyMap<string, Behavior>;
  /** The model's inputs (given values over defaults). */
  readonly inputs?: ReadonlyMap<string, ResolvedInput>;
}

/** The value of a parameter at the current step: a time-varying one picks its entry for the step's period. */
function paramAt(src: ContextSource, name: string): tf.Tensor {
  const t = src.params[name];
  if (!t) throw new PopulaceError('unknown-param', `model '${src.modelId}' has no parameter '${name}' (it has [${Object.keys(src.params).join(', ')}]).`);
  if (t.rank === 0) return t;
  const period = src.periods[name]?.period ?? 1;
  const index = Math.min(Math.floor(src.step / period), t.shape[0]! - 1);
  const entry = tf.reshape(tf.slice(t, [index], [1]), []);
  // webgpu: the entry of a parameter already on the host is readable as a number too (host-reads.ts)
  const host = hostValues(t);
  if (host !== undefined) cacheOnHost(entry, Float32Array.of(host[index]!));
  return entry;
}

function checkedGet(src: ContextSource, reads: ReadonlySet<string>, who: string, path: string): tf.Tensor {
  if (!reads.has(path)) {
    throw new PopulaceError('undeclared-read', `${who} of model '${src.modelId}' read '${path}', which it does not declare in reads [${[...reads].join(', ')}]. Add '${path}' to its reads.`, { details: { who, path } });
  }
  const tensor = src.state.get(path);
  if (!tensor) throw new PopulaceError('undeclared-read', `${who} read '${path}', which is a network: use ctx.network('${path.slice('networks/'.length)}').`, { details: { who, path } });
  return tensor;
}

function count(src: ContextSource, agentType: string): number {
  const n = src.counts.get(agentType);
  if (n === undefined) throw new PopulaceError('invalid-argument', `agent type '${agentType}' is not part of model '${src.modelId}' (it has [${[...src.counts.keys()].join(', ')}]).`);
  return n;
}

const eventOptions = (o: SampleOptions) => ({ ...(o.mask === undefined ? {} : { mask: o.mask }), ...(o.gradient ? { gradient: o.gradient } : {}), ...(o.clock === undefined ? {} : { clock: o.clock }) });

/** The "step" of clocked streams' keys: no step reaches it, so they never share a key with a step's stream. */
const CLOCKED = 0xffffffff;

/**
 * The counter-based draws of substep `name` at `step`: keyed by (seed, step, name, stream), so a
 * substep draws the same numbers wherever it runs (alone or as a member of a composite); events
 * with a clock are keyed by (seed, name, stream) and the clocks instead of the step.
 */
export function randomDraws(seed: number, step: number, name: string, countOf: (agentType: string) => number): { random: RandomDraws; sample: EventSampler } {
  const key = (stream = 'default') => streamKey(seed, step, hashString(`${name}/${stream}`));
  const eventKey = (o: SampleOptions) => (o.clock === undefined ? key(o.stream) : streamKey(seed, CLOCKED, hashString(`${name}/${o.stream ?? 'default'}`)));
  return {
    sample: {
      bernoulli: (p, options = {}) => bernoulliEvent({ p, key: eventKey(options), ...eventOptions(options) }),
      hazard: (rate, exposure, options = {}) => bernoulliEvent({ p: rate, exposure, key: eventKey(options), ...eventOptions(options) }),
      threshold: (cumulative, options = {}) => {
        if ((options as SampleOptions).clock !== undefined) throw new PopulaceError('invalid-argument', `ctx.sample.threshold (substep '${name}'): a threshold event takes no clock (its element keeps one uniform for the whole run).`);
        const scale = options.scale ?? 'probability';
        if (scale !== 'probability' && scale !== 'hazard') throw new PopulaceError('invalid-argument', `ctx.sample.threshold (substep '${name}'): scale expected 'probability' or 'hazard', received ${JSON.stringify(scale)}.`);
        const key = streamKey(seed, CLOCKED, hashString(`${name}/threshold/${options.stream ?? 'default'}`));
        return bernoulliEvent({ ...(scale === 'hazard' ? { p: 1, exposure: cumulative } : { p: cumulative }), key, threshold: true, ...eventOptions(options) });
      },
    },
    random: {
      uniform(target: string | readonly number[], stream = 'default'): tf.Tensor {
        const shape = typeof target === 'string' ? [countOf(target)] : [...target];
        const size = shape.reduce((a, b) => a * b, 1);
        return tf.tensor(fillUniform(new Float32Array(size), key(stream)), shape, 'float32');
      },
    },
  };
}

/** The context of one substep at one step. */
export function substepContext(src: ContextSource, name: string, reads: ReadonlySet<string>): SubstepContext {
  const who = `substep '${name}'`;
  const network = (netName: string): NetworkHandle | undefined => {
    const path = `networks/${netName}`;
    if (!reads.has(path)) {
      throw new PopulaceError('undeclared-read', `${who} of model '${src.modelId}' used network '${netName}' without declaring '${path}' in its reads.`, { details: { who, path } });
    }
    return src.networks.get(netName);
  };
  const draws = randomDraws(src.seed, src.step, name, (agentType) => count(src, agentType));
  return {
    step: src.step,
    seed: src.seed,
    params: src.params,
    param: (paramName: string) => paramAt(src, paramName),
    get: (path: StatePath) => checkedGet(src, reads, who, path),
    network,
    messagePass: (netName: string, values: tf.Tensor) => {
      const graph = network(netName);
      if (!graph) throw new PopulaceError('invalid-argument', `${who}: network '${netName}' is optional and absent from this population; check ctx.network('${netName}') before message passing.`);
      return 'kind' in graph ? hashedGather(values, graph) : gatherReduce(values, graph);
    },
    count: (agentType: string) => count(src, agentType),
    behavior: (slotName: string) => {
      const slot = src.slots[slotName];
      if (!slot) {
        const known = Object.keys(src.slots);
        throw new PopulaceError('invalid-argument', `${who} asked for behaviour slot '${slotName}', which model '${src.modelId}' does not declare (it declares [${known.join(', ')}]). Add it to the model's behaviors.`);
      }
      const b = src.behaviors.get(slotName);
      return b && { id: b.id, sample: (context) => sampleBehavior(b, slotName, slot, count(src, slot.agentType), context) };
    },
    input: (inputName: string) => inputAt(src.inputs, inputName, src.step, src.modelId),
    sample: draws.sample,
    random: draws.random,
  };
}

/** The context of a metric after a step. */
export function metricContext(src: ContextSource, name: string, reads: ReadonlySet<string>): MetricContext {
  const who = `metric '${name}'`;
  return {
    step: src.step,
    params: src.params,
    param: (paramName: string) => paramAt(src, paramName),
    get: (path: StatePath) => checkedGet(src, reads, who, path),
    count: (agentType: string) => count(src, agentType),
    input: (inputName: string) => inputAt(src.inputs, inputName, src.step, src.modelId),
  };
}
