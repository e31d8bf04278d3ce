/**
 * What `run`, `calibrate` and `sensitivity` share: the options that describe one
 * simulation (--population, --agents, --seed, --param, --backend, plus the global
 * --config), parsing them, and the facts about it that every result document starts
 * with. executor-job.ts turns them into a job for server-kit's executor.
 */
import path from 'node:path';
import { parseSchedule, type BackendChoice, type ParamSchedules, type ParamValue, type PopulationFile, type Runtime } from '@populace/core';
import { runOperation } from '@populace/server-kit';
import { backendValue, paramValues, usageError, type OptionSpec, type OptionSpecs, type ParsedArgs } from './args.js';
import { fieldDefault, fieldValue, operationOption } from './operation-options.js';
import type { ResolvedIO } from './io.js';
import { pluginArgs, type PluginArgs } from './plugins.js';
import { composedArgs, isComposed, LINK_OPTION, type ComposedArgs } from './composed-simulation.js';
import { INPUT_OPTION } from './input-series.js';

/** Seed when --seed is not given (the operations' default). */
export const DEFAULT_SEED = fieldDefault(runOperation.input.shape.seed) as number;
/** Steps when --steps is not given (run, sensitivity; the operations' default). */
export const DEFAULT_STEPS = fieldDefault(runOperation.input.shape.steps) as number;

/** `--steps` of run and sensitivity: the operations' field. */
export const STEPS_OPTION: OptionSpec = operationOption(runOperation, 'steps', { placeholders: { steps: 'T' } });

/** `--steps T` checked by the operations' declaration of steps. */
export const stepsValue = (text: string | undefined): number => fieldValue<number>(runOperation, 'steps', text);

/** The options of one simulation, in the order help lists them. */
export const SIMULATION_OPTIONS: OptionSpecs = {
  population: { type: 'string', multiple: true, value: 'id|file', description: 'population to run on: an id, or the path of a population manifest ending in .json, .yaml or .yml (read by @populace/populations) (default: none); in a composed run <model>=<id|file>, once per model' },
  agents: { type: 'string', multiple: true, value: 'N', description: "number of agents, a positive integer (default: the population's or the model's); in a composed run <model>=N" },
  seed: operationOption(runOperation, 'seed', { placeholders: { seed: 'S' } }),
  param: { type: 'string', multiple: true, value: 'name=value', description: 'override a parameter; repeatable; a vector as a,b,c; a schedule as value@step,value@step (e.g. testsPerDay=0@0,2000@30)' },
  backend: { type: 'string', value: 'name', description: "tensor backend: auto, cpu, wasm, tensorflow or webgpu (default: the config's, else auto)" },
  input: INPUT_OPTION,
  link: LINK_OPTION,
};

/** The simulation options of a command line, checked for syntax. */
export interface SimulationArgs {
  /** The model id as typed (full or bare). */
  readonly model: string;
  readonly population: string | undefined;
  readonly agents: number | undefined;
  readonly seed: number;
  /** The --param overrides (a later one of the same name wins); a scheduled parameter has its value at step 0. */
  readonly params: Record<string, ParamValue>;
  /** The --param schedules (`name=value@step,...`). */
  readonly schedules: ParamSchedules;
  readonly backend: BackendChoice | undefined;
  /** Where the plugins come from (--config, --plugin, POPULACE_PLUGINS). */
  readonly plugins: PluginArgs;
  /** The --input values (name=file|number), read when the simulation is opened. */
  readonly inputs: readonly string[];
  /** A composed run (`<model>+<model>`): its models, links and per-model populations and agents. */
  readonly composed?: ComposedArgs;
}

/**
 * Reads the one `<model>` positional and the simulation options of `args`; every mistake is a
 * usage error (exit 2) naming the option and the value.
 */
export function simulationArgs(args: ParsedArgs, command: string, io: ResolvedIO): SimulationArgs {
  const o = args.options;
  if (args.positionals.length === 0) usageError(`${command}: missing the model argument. Usage: populace ${command} <model> [options]; 'populace models' lists the models.`);
  if (args.positionals.length > 1) {
    usageError(`${command}: expected one model, received ${args.positionals.length} arguments: ${args.positionals.map((p) => JSON.stringify(p)).join(' ')}. Give options with their -- names, e.g. --seed 1.`);
  }
  const model = args.positionals[0]!;
  const list = (name: string) => (o[name] as readonly string[] | undefined) ?? [];
  const composed = isComposed(model) ? composedArgs(model, list('population'), list('agents'), list('link')) : undefined;
  if (!composed && list('link').length > 0) usageError(`--link needs models composed with '+', e.g. populace ${command} epi/h5n1+supplychain/eggs --link epi/h5n1.birdsCulled=supplychain/eggs.layersLost.`);
  const texts = (o.param as readonly string[] | undefined) ?? [];
  const scheduled = (t: string) => t.slice(t.indexOf('=') + 1).includes('@');
  const schedules: Record<string, ReturnType<typeof parseSchedule>> = {};
  for (const text of texts.filter(scheduled)) {
    const name = text.slice(0, text.indexOf('=')).trim();
    if (name === '') usageError(`--param: expected name=value@step,... (e.g. testsPerDay=0@0,2000@30), received ${JSON.stringify(text)}.`);
    schedules[name] = parseSchedule(name, text.slice(text.indexOf('=') + 1));
  }
  const params = paramValues(texts.filter((t) => !scheduled(t)));
  for (const name of Object.keys(params)) if (Object.hasOwn(schedules, name)) usageError(`--param ${name} is given both as a value and as a schedule; give one of them.`);
  for (const [name, schedule] of Object.entries(schedules)) params[name] = schedule[0]!.value;
  if (Object.keys(schedules).length > 0 && command !== 'run') usageError(`--param ${Object.keys(schedules)[0]}: schedules (value@step) are for 'populace run'; ${command} differentiates the run and takes one value per parameter.`);
  return {
    model,
    population: composed ? undefined : list('population').at(-1),
    agents: composed || list('agents').length === 0 ? undefined : fieldValue<number>(runOperation, 'agents', list('agents').at(-1)!),
    seed: fieldValue<number>(runOperation, 'seed', o.seed as string | undefined),
    params,
    schedules,
    backend: o.backend === undefined ? undefined : backendValue(o.backend as string),
    plugins: pluginArgs(args, io),
    inputs: list('input'),
    ...(composed ? { composed } : {}),
  };
}

/**
 * A --population value as the runtime takes it: an id as given, or a population file (a value
 * ending in an extension a loaded format reads) opened from `cwd`, reported under the path as given.
 */
export function openPopulation(runtime: Runtime, value: string, cwd: string): string | PopulationFile {
  return runtime.isPopulationFile(value) ? runtime.openPopulationFile(path.resolve(cwd, value), { name: value }) : value;
}

/** What every result document says about its simulation. */
export interface SimulationFacts {
  /** Full model id. */
  readonly model: string;
  /** Full population id, or null. */
  readonly population: string | null;
  /** Agents of the model's first agent type. */
  readonly agents: number;
  readonly seed: number;
  /** The tensor backend used. */
  readonly backend: string;
  /** `sha256:<hex>` of the population's files, when it was read from a manifest. */
  readonly populationDigest?: string;
}

/** Milliseconds rounded to microseconds, as the documents report them. */
export const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;
