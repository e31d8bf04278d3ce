/**
 * The CLI side of server-kit's operations: command-line options and help
 * derived from an operation's zod input, and the parsing of a command line
 * back into that input, validated by the same schema as on MCP and GraphQL.
 * Numbers are `--name N`, booleans `--name`, records repeatable
 * `--name key=value` (a list value as `key=a,b,c`); fields in `omit` are
 * filled by the command (`extra`).
 */
import { PopulaceError } from '@populace/core';
import { issueText, unwrapField, type Operation } from '@populace/server-kit';
import { z } from 'zod';
import { usageError, type OptionSpecs, type ParsedArgs } from './args.js';

/** How an operation's input maps to a command line. */
export interface OperationCli {
  /** The field given as the one positional argument (e.g. `model`). */
  readonly positional?: string;
  /** Option names that differ from the field names (`params` -> `param`). */
  readonly rename?: Readonly<Record<string, string>>;
  /** Fields the command line does not take as options (the command fills them itself). */
  readonly omit?: readonly string[];
  /** Placeholders of values in help, by field (default N, text or name=value). */
  readonly placeholders?: Readonly<Record<string, string>>;
}

type Kind = 'number' | 'string' | 'boolean' | 'record' | 'list';

const unwrap = (schema: z.ZodType): z.ZodType => unwrapField(schema).inner;

/** A field's default value, if it declares one. */
export const fieldDefault = (schema: z.ZodType): unknown => unwrapField(schema).fallback;

function kindOf(op: Operation, field: string, schema: z.ZodType): Kind {
  const s = unwrap(schema);
  if (s instanceof z.ZodNumber) return 'number';
  if (s instanceof z.ZodString || s instanceof z.ZodEnum) return 'string';
  if (s instanceof z.ZodBoolean) return 'boolean';
  if (s instanceof z.ZodRecord) return 'record';
  if (s instanceof z.ZodArray && unwrap(s.element as z.ZodType) instanceof z.ZodString) return 'list';
  throw new PopulaceError('invalid-definition', `operation ${op.name}: field '${field}' has a type the CLI cannot take as an option; give it a number, string, boolean, list of strings or record type.`);
}

/** The help text of a field: its description, the choices of an enum and its default. */
function describeField(field: string, schema: z.ZodType, kind: Kind): string {
  const s = unwrap(schema);
  const text = (schema.description ?? s.description ?? field).replace(/\.$/, '');
  const choices = s instanceof z.ZodEnum ? ` (one of ${(s.options as string[]).join(', ')})` : '';
  const fallback = fieldDefault(schema);
  const shown = fallback === undefined || typeof fallback === 'object' ? '' : ` (default ${String(fallback)})`;
  return `${text}${choices}${shown}${kind === 'record' ? '; repeatable' : kind === 'list' ? '; comma-separated' : ''}`;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const optionName = (field: string, cli: OperationCli): string => cli.rename?.[field] ?? kebab(field);

/** The command-line options of an operation's input (all but the positional field). */
export function operationOptions(op: Operation, cli: OperationCli = {}): OptionSpecs {
  const out: Record<string, OptionSpecs[string]> = {};
  for (const [field, schema] of Object.entries(op.input.shape as Record<string, z.ZodType>)) {
    if (field === cli.positional || cli.omit?.includes(field)) continue;
    out[optionName(field, cli)] = operationOption(op, field, cli);
  }
  return out;
}

/** The command-line option of one field of an operation's input (for commands that take only some). */
export function operationOption(op: Operation, field: string, cli: OperationCli = {}): OptionSpecs[string] {
  const schema = (op.input.shape as Record<string, z.ZodType>)[field];
  if (!schema) throw new PopulaceError('invalid-definition', `operation ${op.name} has no field '${field}'; its fields: ${Object.keys(op.input.shape).join(', ')}.`);
  const kind = kindOf(op, field, schema);
  const description = describeField(field, schema, kind);
  const value = cli.placeholders?.[field] ?? (kind === 'number' ? 'N' : kind === 'record' ? 'name=value' : kind === 'list' ? 'a,b' : unwrap(schema) instanceof z.ZodEnum ? 'name' : 'text');
  return kind === 'boolean' ? { type: 'boolean', description } : { type: 'string', value, description, ...(kind === 'record' ? { multiple: true } : {}) };
}

/**
 * One option's value (`--seed 7`) converted by its field's type and checked by the field's schema,
 * the one declaration MCP and GraphQL check it with; absent: the field's default. A mistake is a
 * usage error naming the option.
 */
export function fieldValue<R>(op: Operation, field: string, text: string | undefined, option = kebab(field)): R {
  const schema = (op.input.shape as Record<string, z.ZodType>)[field]!;
  const kind = kindOf(op, field, schema);
  let raw: unknown = text;
  if (text !== undefined && kind === 'number') {
    raw = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(raw)) usageError(`--${option}: expected a number, received ${JSON.stringify(text)}.`, { option, received: text });
  } else if (text !== undefined && kind === 'list') {
    raw = text.split(',').map((n) => n.trim());
    if ((raw as string[]).some((n) => n === '')) usageError(`--${option}: expected names separated by commas, such as --${option} beta,gamma, received ${JSON.stringify(text)}.`, { option, received: text });
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data as R;
  return usageError(`--${option}: ${issueText(result.error.issues[0]!)}, received ${JSON.stringify(text)}.`, { option, received: text, operation: op.name });
}

function recordValue(op: Operation, option: string, schema: z.ZodType, texts: readonly string[]): Record<string, unknown> {
  const values = unwrap(schema) as z.ZodRecord;
  const list = unwrap(values.valueType as z.ZodType) instanceof z.ZodArray;
  const out = new Map<string, unknown>();
  for (const text of texts) {
    const eq = text.indexOf('=');
    const name = text.slice(0, eq).trim();
    const parts = text.slice(eq + 1).split(',').map((p) => p.trim());
    const nums = parts.map((p) => (p === '' ? Number.NaN : Number(p)));
    if (eq <= 0 || nums.some((n) => !Number.isFinite(n))) usageError(`--${option}: expected name=number or name=n1,n2,... (e.g. --${option} beta=0.2,0.3), received ${JSON.stringify(text)}.`, { option, received: text, operation: op.name });
    out.set(name, list || nums.length > 1 ? nums : nums[0]);
  }
  return Object.fromEntries(out);
}

/**
 * The operation's input from a command line: option values converted by the field types, then
 * validated by the operation's schema; a mistake is a usage error naming the option.
 */
export function operationInput<I extends z.ZodObject>(op: Operation<I>, args: ParsedArgs, cli: OperationCli = {}, extra: Readonly<Record<string, unknown>> = {}): z.output<I> {
  const raw: Record<string, unknown> = { ...extra };
  const options = new Map<string, string>();
  for (const [field, schema] of Object.entries(op.input.shape as Record<string, z.ZodType>)) {
    const option = optionName(field, cli);
    options.set(field, field === cli.positional ? `<${field}>` : `--${option}`);
    if (field === cli.positional) {
      if (args.positionals.length !== 1) usageError(`${op.name}: expected one <${field}> argument, received ${args.positionals.length}${args.positionals.length ? `: ${args.positionals.map((p) => JSON.stringify(p)).join(' ')}` : ''}.`);
      raw[field] = args.positionals[0];
      continue;
    }
    if (cli.omit?.includes(field)) continue;
    const value = args.options[option];
    if (value === undefined) continue;
    const kind = kindOf(op, field, schema);
    if (kind === 'record') raw[field] = recordValue(op, option, schema, value as readonly string[]);
    else if (kind === 'list') raw[field] = (value as string).split(',').map((n) => n.trim());
    else if (kind === 'number') {
      const n = (value as string).trim() === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(n)) usageError(`--${option}: expected a number, received ${JSON.stringify(value)}.`, { option, received: value });
      raw[field] = n;
    } else raw[field] = value;
  }
  const result = op.input.safeParse(raw);
  if (result.success) return result.data;
  const received = (path: readonly PropertyKey[]): string => JSON.stringify(path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined), raw)) ?? 'nothing';
  const issues = result.error.issues.map((i) => `${options.get(String(i.path[0])) ?? String(i.path[0])}${i.path.length > 1 ? ` ${i.path.slice(1).join('.')}` : ''}: ${issueText(i)}${i.code === 'unrecognized_keys' ? '' : `, received ${received(i.path)}`}`);
  return usageError(`${issues.join('; ')}.`, { operation: op.name });
}
