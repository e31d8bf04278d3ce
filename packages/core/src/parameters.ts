/**
 * Model parameters: declared with a default, bounds and whether they are
 * learnable; resolved against user overrides with precise errors.
 */
import { PopulaceError } from './errors.js';
import { assertDefinition, closest, describeValue, isPlainObject, LOCAL_NAME } from './validate.js';

/** A parameter value: a scalar, or a vector for time-varying parameters (e.g. one entry per week). */
export type ParamValue = number | readonly number[];

export interface ParameterSpec {
  /** Default value; an array makes the parameter time-varying (one entry per period). */
  readonly default: ParamValue;
  /** Inclusive [lower, upper] bounds; `Infinity` for an open side. Default: unbounded. */
  readonly bounds?: readonly [number, number];
  /** Whether calibration and sensitivity may treat it as a tf.Variable. Default false. */
  readonly learnable?: boolean;
  /** Steps per entry of a time-varying parameter (7 for weekly values of a daily model). Default 1. */
  readonly period?: number;
  /** Values must be whole numbers (e.g. a count of seed infections). */
  readonly integer?: boolean;
  /** What it means, with its unit. */
  readonly description?: string;
  readonly unit?: string;
}

export type ParameterSpecs = Readonly<Record<string, ParameterSpec>>;
export type ParamValues = Readonly<Record<string, ParamValue>>;

function checkValue(name: string, spec: ParameterSpec, value: unknown, where: string): ParamValue {
  const [lo, hi] = spec.bounds ?? [-Infinity, Infinity];
  const scalar = !Array.isArray(spec.default);
  const expectedShape = scalar ? 'a number' : `an array of ${(spec.default as number[]).length} numbers`;
  const values = Array.isArray(value) ? value : [value];
  if ((scalar && Array.isArray(value)) || (!scalar && (!Array.isArray(value) || value.length !== (spec.default as number[]).length))) {
    throw new PopulaceError('invalid-param', `${where} parameter '${name}': expected ${expectedShape}, received ${describeValue(value)}.`, { details: { param: name, expected: expectedShape } });
  }
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new PopulaceError('invalid-param', `${where} parameter '${name}': expected a finite number, received ${describeValue(v)}. Pass a number such as ${JSON.stringify(scalar ? spec.default : (spec.default as number[])[0])}.`, { details: { param: name, received: v } });
    }
    if (spec.integer && !Number.isInteger(v)) {
      throw new PopulaceError('invalid-param', `${where} parameter '${name}': expected a whole number, received ${v}.`, { details: { param: name, received: v } });
    }
    if (v < lo || v > hi) {
      throw new PopulaceError('param-out-of-bounds', `${where} parameter '${name}': expected a value within [${lo}, ${hi}], received ${v}. Choose a value inside the bounds.`, { details: { param: name, bounds: [lo, hi], received: v } });
    }
  }
  return scalar ? (value as number) : Object.freeze([...(value as number[])]);
}

/** Validates a model's parameter declarations. */
export function validateParameterSpecs(specs: unknown, where: string): void {
  assertDefinition(isPlainObject(specs), `${where}.parameters`, 'an object of parameter specs', specs);
  for (const [name, spec] of Object.entries(specs)) {
    const at = `${where}.parameters.${name}`;
    assertDefinition(LOCAL_NAME.test(name), at, 'a name of letters, digits, _ or -', name);
    assertDefinition(isPlainObject(spec), at, 'an object { default, bounds?, learnable?, description? }', spec);
    const s = spec as unknown as ParameterSpec;
    if (s.bounds !== undefined) {
      const b = s.bounds;
      assertDefinition(Array.isArray(b) && b.length === 2 && typeof b[0] === 'number' && typeof b[1] === 'number' && !Number.isNaN(b[0]) && !Number.isNaN(b[1]) && b[0] <= b[1], `${at}.bounds`, '[lower, upper] with lower <= upper', b);
    }
    assertDefinition(s.period === undefined || (Number.isInteger(s.period) && s.period > 0), `${at}.period`, 'a positive integer number of steps', s.period);
    assertDefinition(s.period === undefined || Array.isArray(s.default), `${at}.period`, 'no period on a scalar parameter (give an array default to make it time-varying)', s.period);
    const d = s.default;
    assertDefinition(typeof d === 'number' || (Array.isArray(d) && d.length > 0), `${at}.default`, 'a number or a non-empty array of numbers', d);
    try {
      checkValue(name, s, d, 'default of');
    } catch (error) {
      throw new PopulaceError('invalid-definition', `${at}.default: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * Resolves defaults plus overrides. Unknown names, wrong types and values outside the
 * bounds throw PopulaceErrors that name the parameter, the bounds and the fix.
 */
export function resolveParams(specs: ParameterSpecs, overrides: Readonly<Record<string, unknown>> | undefined, modelId: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.default;
  if (overrides === undefined) return out;
  if (!isPlainObject(overrides)) {
    throw new PopulaceError('invalid-argument', `params: expected an object of { name: value }, received ${describeValue(overrides)}.`);
  }
  const known = Object.keys(specs);
  for (const [name, value] of Object.entries(overrides)) {
    // own names only: 'constructor' or 'toString' must not find Object.prototype's
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const guess = closest(name, known);
      throw new PopulaceError('unknown-param', `model '${modelId}' has no parameter '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Known parameters: ${known.join(', ') || '(none)'}.`, { details: { param: name, known } });
    }
    out[name] = checkValue(name, spec, value, `model '${modelId}'`);
  }
  return out;
}

/** Parses a CLI-style `name=value` string (value: a number or a comma-separated list). */
export function parseParamAssignment(text: string): [string, ParamValue] {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new PopulaceError('invalid-param', `parameter assignment: expected name=value (e.g. beta=0.3), received ${JSON.stringify(text)}.`);
  }
  const name = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const parts = raw.split(',').map((p) => p.trim());
  const nums = parts.map((p) => (p === '' ? Number.NaN : Number(p)));
  const bad = parts.find((p, i) => !Number.isFinite(nums[i]!));
  if (bad !== undefined) {
    throw new PopulaceError('invalid-param', `parameter '${name}': expected a number (or comma-separated numbers), received ${JSON.stringify(raw)}.`, { details: { param: name, received: raw } });
  }
  return [name, nums.length === 1 ? nums[0]! : nums];
}
