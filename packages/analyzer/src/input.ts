/**
 * Checking what analysis functions receive: a zod schema per function, and
 * its failures turned into PopulaceErrors that name the field, what was
 * expected, what was received and how to fix it. Also the zod pieces the
 * schemas share (model, population, agents, seed, params).
 */
import { describeValue, PopulaceError } from '@populace/core';
import { z } from 'zod';

/** A parameter value: a number, or one number per period for a time-varying parameter. */
export const paramValueSchema = z.union([z.number(), z.array(z.number())]);

/** Parameter overrides `{ name: value }`. */
export const paramsSchema = z
  .record(z.string(), paramValueSchema)
  .describe("Parameter overrides { name: value } within the bounds describe_model gives. A time-varying parameter (e.g. epi/covid's weekly R) takes an array with one entry per period, or a single number applied to every period.");

/** The fields every simulation-based function takes. */
export const simulationFields = {
  model: z.string().min(1).describe("Model id, full ('epi/covid') or bare ('covid'); list_models lists them."),
  population: z.string().min(1).optional().describe("Population id ('populations/nyc' or 'nyc'); without one the model runs on its own agents with no attributes or networks."),
  agents: z.number().int().min(1).optional().describe("Number of agents (default: the population's or the model's default; keep it small, e.g. 2000-20000, for quick answers)."),
  steps: z.number().int().min(1).optional().describe('Steps to simulate (days for daily models); default 30.'),
  label: z.string().max(200).optional().describe('A label recorded with the run(s).'),
};

/** A seed: an unsigned 32-bit integer. */
export const seedSchema = z.number().int().min(0).max(4294967295);

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const pathText = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? 'input' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');

/**
 * Parses `input` with `schema`; a failure throws `invalid-argument` naming every bad field with
 * what was expected and the value received.
 *
 * @example
 * ```ts
 * const input = parseInput(runScenarioInput, { model: 'epi/sir', steps: 30 }, 'runScenario');
 * ```
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string, fix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 6).map((issue) => {
    const received = issue.code === 'unrecognized_keys' ? '' : ` (received ${describeValue(valueAt(input, issue.path))})`;
    return `${pathText(issue.path)}: ${issue.message}${received}`;
  });
  const more = result.error.issues.length > 6 ? ` (and ${result.error.issues.length - 6} more)` : '';
  throw new PopulaceError('invalid-argument', `${where}: invalid input: ${problems.join('; ')}${more}.${fix ? ` ${fix}` : ''}`, {
    details: { issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
  });
}

/** Replaces non-finite numbers by null (as JSON does) in plain data, so results survive JSON. */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A finite number, or null. */
export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
