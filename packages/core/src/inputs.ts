/**
 * Model inputs: named exogenous series a model reads each step
 * (`ctx.input('layersLost')`), fed from data (a series or a constant) or, in a
 * composed run, from another model's metric (see `defineComposite`).
 */
import { PopulaceError } from './errors.js';
import { tf } from './tf.js';
import { assertDefinition, closest, describeValue, isPlainObject, LOCAL_NAME } from './validate.js';

/** One input a model declares. */
export interface InputSpec {
  /** What it is, for help texts and tools. */
  readonly description: string;
  /** Its unit, e.g. `birds/day`; a link from a metric with another declared unit is refused. */
  readonly unit?: string;
  /**
   * The value when nothing feeds it: a constant, or a series with one value per step from step 0
   * (a run past its end fails with `input-too-short`). Without a default the input must be given.
   */
  readonly default?: number | readonly number[];
}

export type InputSpecs = Readonly<Record<string, InputSpec>>;

/** Input values given to a simulation: a constant, or one value per step from step 0. */
export type InputValue = number | readonly number[];
export type InputValues = Readonly<Record<string, InputValue>>;

/** A resolved input: a constant, or a series (one value per step). */
export type ResolvedInput = { readonly constant: number } | { readonly series: Float64Array };

/** Validates a model's input declarations. */
export function validateInputSpecs(specs: unknown, where: string): void {
  if (specs === undefined) return;
  assertDefinition(isPlainObject(specs), `${where}.inputs`, 'an object { name: { description, unit?, default? } }', specs);
  for (const [name, spec] of Object.entries(specs)) {
    const at = `${where}.inputs.${name}`;
    assertDefinition(LOCAL_NAME.test(name), at, 'an input name of letters, digits, _ or -', name);
    assertDefinition(isPlainObject(spec) && typeof spec.description === 'string' && spec.description.length > 0, `${at}.description`, 'a non-empty string', (spec as { description?: unknown })?.description);
    const s = spec as unknown as InputSpec;
    assertDefinition(s.unit === undefined || (typeof s.unit === 'string' && s.unit.length > 0), `${at}.unit`, 'a non-empty string or nothing', s.unit);
    const d = s.default;
    const ok = d === undefined || (typeof d === 'number' && Number.isFinite(d)) || (Array.isArray(d) && d.length > 0 && d.every((v) => typeof v === 'number' && Number.isFinite(v)));
    assertDefinition(ok, `${at}.default`, 'a finite number, a non-empty array of finite numbers, or nothing', d);
  }
}

/** Checks one given input value: a finite number, or a non-empty array of finite numbers. */
export function checkInputValue(value: unknown, name: string, modelId: string): ResolvedInput {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PopulaceError('invalid-argument', `input '${name}' of model '${modelId}': expected a finite number or a series of finite numbers, received ${describeValue(value)}.`, { details: { input: name } });
    return { constant: value };
  }
  const isSeries = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!isSeries || (value as ArrayLike<number>).length === 0) {
    throw new PopulaceError('invalid-argument', `input '${name}' of model '${modelId}': expected a number or a non-empty series of numbers (one per step from step 0), received ${describeValue(value)}.`, { details: { input: name } });
  }
  const series = value as ArrayLike<unknown>;
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new PopulaceError('invalid-argument', `input '${name}' of model '${modelId}': value ${i} (step ${i}) expected a finite number, received ${describeValue(v)}.`, { details: { input: name, index: i } });
    }
  }
  return { series: Float64Array.from(series as ArrayLike<number>) };
}

/**
 * The inputs of a simulation: the given values (validated) over the defaults. An unknown name is
 * `unknown-input` (with the closest known one); an input with neither a value nor a default is
 * `missing-input`.
 */
export function resolveInputs(specs: InputSpecs | undefined, given: InputValues | undefined, modelId: string): Map<string, ResolvedInput> {
  const declared = specs ?? {};
  const known = Object.keys(declared);
  if (given !== undefined && !isPlainObject(given)) {
    throw new PopulaceError('invalid-argument', `inputs: expected an object { name: series }, received ${describeValue(given)}.`);
  }
  for (const name of Object.keys(given ?? {})) {
    if (!Object.hasOwn(declared, name)) {
      const guess = closest(name, known);
      throw new PopulaceError('unknown-input', `model '${modelId}' has no input '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Its inputs: ${known.join(', ') || '(none)'}.`, { details: { input: name, known } });
    }
  }
  const out = new Map<string, ResolvedInput>();
  for (const [name, spec] of Object.entries(declared)) {
    const value = given && Object.hasOwn(given, name) ? given[name] : spec.default;
    if (value === undefined) {
      throw new PopulaceError('missing-input', `model '${modelId}' needs input '${name}' (${spec.description}${spec.unit ? `, ${spec.unit}` : ''}), which has no default. Give the input '${name}': a number, or one value per step from step 0.`, { details: { input: name } });
    }
    out.set(name, checkInputValue(value, name, modelId));
  }
  return out;
}

/** Refuses a run of `steps` steps from step `from` that a series input is too short for. */
export function checkInputLengths(inputs: ReadonlyMap<string, ResolvedInput>, from: number, steps: number, modelId: string): void {
  for (const [name, input] of inputs) {
    if ('series' in input && input.series.length < from + steps) throw tooShort(name, input.series.length, from + steps - 1, modelId);
  }
}

function tooShort(name: string, length: number, step: number, modelId: string): PopulaceError {
  return new PopulaceError('input-too-short', `input '${name}' of model '${modelId}' has ${length} values (steps 0-${length - 1}), but running to step ${step} needs ${step + 1}. Give a series of at least ${step + 1} values or run fewer steps.`, { details: { input: name, length, needed: step + 1 } });
}

/** The value of an input at a step, as a float32 scalar (the caller owns it). */
export function inputAt(inputs: ReadonlyMap<string, ResolvedInput> | undefined, name: string, step: number, modelId: string): tf.Scalar {
  const input = inputs?.get(name);
  if (!input) {
    const known = [...(inputs?.keys() ?? [])];
    const guess = closest(name, known);
    throw new PopulaceError('unknown-input', `model '${modelId}' read input '${name}', which it does not declare.${guess ? ` Did you mean '${guess}'?` : ''} Declared inputs: ${known.join(', ') || '(none)'}. Declare it in the model's inputs.`, { details: { input: name, known } });
  }
  if ('constant' in input) return tf.scalar(input.constant);
  if (step >= input.series.length) throw tooShort(name, input.series.length, step, modelId);
  return tf.scalar(input.series[step]!);
}
