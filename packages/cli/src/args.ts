/**
 * Command-line parsing and validation. Every mistake becomes a PopulaceError
 * (exit code 2) whose message names the option, the value received and the fix.
 */
import { BACKEND_CHOICES, parseParamAssignment, PopulaceError, type BackendChoice, type ParamValue, closest } from '@populace/core';

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** A string option that may be repeated (values are collected in order). */
  readonly multiple?: boolean;
  /** One-letter alias, without the dash. */
  readonly short?: string;
  /** Placeholder of the value in help texts, e.g. `N`. */
  readonly value?: string;
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Parsed arguments: options by long name, and the positional arguments. */
export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** Throws the usage error of the CLI: a PopulaceError with code `invalid-argument`. */
export function usageError(message: string, details: Record<string, unknown> = {}): never {
  throw new PopulaceError('invalid-argument', message, { details });
}

/** The candidate closest to `name`, when it is close enough to be a typo (core's "did you mean"). */
export const suggest = closest;

const quote = (text: string): string => JSON.stringify(text);

/**
 * Parses `argv` against `specs`; `command` names the subcommand in messages ('' for none). Accepts `--name value`, `--name=value`, `-x value`,
 * repeated options where `multiple` is set (a later single option wins), and `--` to end options.
 * A string option takes the next argument as its value even when it starts with one dash
 * (so `--seed -1` reports the bad seed rather than an unknown option).
 */
export function parseArgv(argv: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  const options: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const shorts = new Map(Object.entries(specs).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  const where = command ? `populace ${command}` : 'populace';
  const help = `Run '${where} --help' for the options.`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = flag.startsWith('--') ? flag.slice(2) : shorts.get(flag.slice(1));
    const spec = name === undefined || !Object.hasOwn(specs, name) ? undefined : specs[name];
    if (name === undefined || spec === undefined) {
      const guess = suggest(flag, Object.keys(specs).map((n) => `--${n}`));
      usageError(`unknown option '${flag}' for '${where}'.${guess ? ` Did you mean '${guess}'?` : ''} ${help}`, { option: flag });
    }
    if (spec.type === 'boolean') {
      if (eq > 0) usageError(`option '${flag}' takes no value, received ${quote(arg.slice(eq + 1))}. Write just '${flag}'.`, { option: flag });
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined) {
      const placeholder = `<${spec.value ?? 'value'}>`;
      usageError(`option '${flag}' expects a value, received nothing. Write '${flag} ${placeholder}' or '${flag}=${placeholder}'.`, { option: flag });
    }
    if (spec.multiple) options[name] = [...((options[name] as string[] | undefined) ?? []), value];
    else options[name] = value;
  }
  return { options, positionals };
}

/** Parses a positive integer option such as `--agents` or `--steps`. */
export function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!/^\+?[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    usageError(`--${option}: expected a positive integer, received ${quote(text)}. Pass a whole number of at least 1, such as --${option} 100.`, { option, received: text });
  }
  return value;
}

/** Parses `--seed`: an integer in [0, 4294967295]. */
export function seedValue(text: string): number {
  const value = Number(text);
  if (!/^\+?[0-9]+$/.test(text.trim()) || !Number.isInteger(value) || value > 0xffffffff) {
    usageError(`--seed: expected an integer in [0, 4294967295], received ${quote(text)}. Pass a whole number such as --seed 42.`, { option: 'seed', received: text });
  }
  return value;
}

/** Parses an option whose value is one of `choices` (`--backend`, `--loss`). */
export function choiceValue<const C extends string>(option: string, text: string, choices: readonly C[]): C {
  if (!(choices as readonly string[]).includes(text)) {
    const guess = suggest(text, choices);
    usageError(`--${option}: expected one of ${choices.join(', ')}, received ${quote(text)}.${guess ? ` Did you mean '${guess}'?` : ''}`, { option, received: text });
  }
  return text as C;
}

/** Parses `--backend`. */
export function backendValue(text: string): BackendChoice {
  return choiceValue('backend', text, BACKEND_CHOICES);
}

/** Parses a positive finite number option such as `--learning-rate`. */
export function positiveNumber(option: string, text: string, example: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    usageError(`--${option}: expected a positive number, received ${quote(text)}. Pass a value above 0, such as --${option} ${example}.`, { option, received: text });
  }
  return value;
}

/** Parses a comma-separated list of names such as `--params beta,gamma` (no empty entries). */
export function nameList(option: string, text: string): string[] {
  const names = text.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) {
    usageError(`--${option}: expected names separated by commas, such as --${option} beta,gamma, received ${quote(text)}.`, { option, received: text });
  }
  return names;
}

/** Parses every `--param name=value` (a later assignment of the same name wins). */
export function paramValues(texts: readonly string[]): Record<string, ParamValue> {
  // a Map, then own properties: '__proto__' or 'constructor' stay names that the model check refuses
  const params = new Map<string, ParamValue>();
  for (const text of texts) {
    let assignment: [string, ParamValue];
    try {
      assignment = parseParamAssignment(text);
    } catch (error) {
      // core speaks of parameters; the command line names its flag
      if (!PopulaceError.isInstance(error)) throw error;
      throw new PopulaceError(error.code, `--param: ${error.message}`, { details: error.details, cause: error });
    }
    params.set(assignment[0], assignment[1]);
  }
  return Object.fromEntries(params);
}

/** The single positional argument a command allows at most (`models <id>`), or undefined. */
export function optionalPositional(args: ParsedArgs, command: string, what: string): string | undefined {
  if (args.positionals.length > 1) {
    usageError(`'populace ${command}' takes at most one ${what}, received ${args.positionals.length}: ${args.positionals.map(quote).join(' ')}. Quote an id that contains spaces.`);
  }
  return args.positionals[0];
}
