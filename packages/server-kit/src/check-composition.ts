/**
 * Model inputs and composed models in job requests (MCP tool arguments,
 * GraphQL inputs), with the CLI's names: `inputs` (`--input name=...`: a
 * number, or one number per step), a model `a+b` (`populace run a+b`) with
 * `links` (`--link a.metric=b.input`, a `*factor` after the metric scales it),
 * and per-model `populations` and `memberAgents` (`--population a=id`,
 * `--agents a=N`). Checked here once for both surfaces.
 */
import { checkInputLengths, PopulaceError, type Composition, type ModelDefinition, type Runtime } from '@populace/core';
import type { RunLimits } from './limits.js';

/** Most values an input series may have (one per step). */
export const MAX_INPUT_VALUES = 100_000;
/** Most inputs and most links a request may give. */
export const MAX_INPUTS = 32;
export const MAX_LINKS = 32;

/** Input values as a simulation takes them. */
export type CheckedInputs = Readonly<Record<string, number | readonly number[]>>;

/** A checked composition: what `runtime.compose` is called with. */
export interface CheckedComposition {
  readonly models: readonly string[];
  readonly links: readonly string[];
  readonly populations: Readonly<Record<string, string>>;
  readonly agents: Readonly<Record<string, number>>;
}

const invalid = (field: string, expected: string, received: unknown, fix = ''): never => {
  const shown = JSON.stringify(received)?.slice(0, 120) ?? String(received);
  throw new PopulaceError('invalid-argument', `${field}: expected ${expected}, received ${shown}.${fix ? ` ${fix}` : ''}`, { details: { field } });
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A request's `inputs`: name -> a finite number or a series of at most MAX_INPUT_VALUES (and the server's maxSteps) finite numbers. */
export function checkInputs(value: unknown, limits: RunLimits): CheckedInputs | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return invalid('inputs', 'an object { name: number or [number, ...] } (one value per step from step 0)', value, "describe_model lists a model's inputs.");
  const entries = Object.entries(value);
  if (entries.length > MAX_INPUTS) invalid('inputs', `at most ${MAX_INPUTS} inputs`, entries.length);
  const max = Math.min(MAX_INPUT_VALUES, limits.maxSteps ?? MAX_INPUT_VALUES);
  for (const [name, v] of entries) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) invalid(`inputs.${name}`, 'a finite number', v);
      continue;
    }
    if (!Array.isArray(v) || v.length === 0 || v.length > max) invalid(`inputs.${name}`, `a finite number or an array of 1 to ${max} finite numbers (one per step)`, Array.isArray(v) ? `an array of ${v.length} values` : v);
    const bad = (v as unknown[]).findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0) invalid(`inputs.${name}[${bad}]`, 'a finite number', (v as unknown[])[bad]);
  }
  return value as CheckedInputs;
}

/** Refuses a run of `steps` steps that a given input series is too short for (the CLI's `input-too-short`). */
export function checkInputSteps(inputs: CheckedInputs | undefined, steps: number, model: string): void {
  // core's check and message, as a run would give them (the CLI's and the servers' alike)
  const series = Object.entries(inputs ?? {}).flatMap(([name, v]) => (Array.isArray(v) ? [[name, { series: Float64Array.from(v as number[]) }] as const] : []));
  checkInputLengths(new Map(series), 0, steps, model);
}

/** True when the model id composes several models (`a+b`). */
export const isComposedModel = (model: unknown): model is string => typeof model === 'string' && model.includes('+');

const perModel = <T>(field: string, value: unknown, check: (v: unknown) => v is T, expected: string): Record<string, T> => {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return invalid(field, `an object { model: ${expected} } keyed by the composed models`, value);
  for (const [k, v] of Object.entries(value)) if (!check(v)) invalid(`${field}.${k}`, expected, v);
  return value as Record<string, T>;
};

/**
 * The composition a request describes, or undefined for one model. `links` needs a composed model;
 * a composed model takes `populations` and `memberAgents` per model instead of `population`/`agents`.
 */
export function checkComposition(request: { readonly model?: unknown; readonly links?: unknown; readonly populations?: unknown; readonly memberAgents?: unknown; readonly population?: unknown; readonly agents?: unknown }, limits: RunLimits): CheckedComposition | undefined {
  const links = request.links ?? undefined;
  if (!isComposedModel(request.model)) {
    if (links !== undefined || request.populations != null || request.memberAgents != null) invalid('model', "models joined by '+' (e.g. epi/h5n1+supplychain/eggs) when links, populations or memberAgents are given", request.model);
    return undefined;
  }
  const models = request.model.split('+').map((m) => m.trim());
  if (models.some((m) => m === '')) invalid('model', "models joined by '+', e.g. epi/h5n1+supplychain/eggs", request.model);
  if (request.population != null || request.agents != null) invalid(request.population != null ? 'population' : 'agents', "nothing in a composed run: give populations { model: id } and memberAgents { model: N } per model", request.population ?? request.agents);
  if (links !== undefined && (!Array.isArray(links) || links.length > MAX_LINKS || links.some((l) => typeof l !== 'string' || l.length === 0 || l.length > 500))) {
    invalid('links', `an array of at most ${MAX_LINKS} strings '<model>.<metric>=<model>.<input>' (a *factor after the metric scales it)`, links);
  }
  const agents = perModel('memberAgents', request.memberAgents, (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1, 'a whole number of agents >= 1');
  for (const [m, n] of Object.entries(agents)) if (limits.maxAgents !== undefined && n > limits.maxAgents) invalid(`memberAgents.${m}`, `at most ${limits.maxAgents} agents (this server's limit)`, n);
  return {
    models,
    links: (links as string[] | undefined) ?? [],
    populations: perModel('populations', request.populations, (v): v is string => typeof v === 'string' && v.length > 0, 'a population id'),
    agents,
  };
}

/** Composes a checked composition (unknown models, inputs or metrics and bad links are core's errors). */
export function composeChecked(runtime: Runtime, c: CheckedComposition): Composition {
  return runtime.compose({ models: c.models, links: c.links, populations: c.populations, agents: c.agents });
}

/** The model definition of a checked simulation: the registered model, or its composition's. */
export function jobModelDefinition(runtime: Runtime, sim: { readonly model: string; readonly composed?: CheckedComposition | null }): ModelDefinition {
  return sim.composed ? composeChecked(runtime, sim.composed).definition : runtime.models.get(sim.model).definition;
}
