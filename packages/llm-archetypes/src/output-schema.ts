/**
 * The answer an archetype asks for: a zod object schema, the numeric or
 * boolean field whose value reaches the agents, and the parsing of JSON out of
 * a chat model's text (bare, in a code fence, or inside prose).
 */
import { z } from 'zod';
import { assertDefinition } from './validate.js';

/** Any zod object schema (zod 4). */
export type OutputSchema = z.ZodObject<z.ZodRawShape>;

/** A zod schema's type name (through optional/default/nullable/readonly wrappers). */
function baseType(schema: unknown): string | undefined {
  let def = (schema as { _zod?: { def?: { type?: string; innerType?: unknown } } })?._zod?.def;
  for (let i = 0; i < 8 && def && ['optional', 'default', 'nullable', 'readonly', 'prefault', 'nonoptional'].includes(def.type ?? ''); i++) {
    def = (def.innerType as { _zod?: { def?: { type?: string; innerType?: unknown } } })?._zod?.def;
  }
  return def?.type;
}

/** True for a zod object schema (`z.object({...})`), also from another copy of zod 4. */
export function isZodObject(schema: unknown): schema is OutputSchema {
  return schema instanceof z.ZodObject || (baseType(schema) === 'object' && typeof (schema as { safeParse?: unknown }).safeParse === 'function' && typeof (schema as { shape?: unknown }).shape === 'object');
}

/** Checks the output schema and picks the value field (default: the only numeric or boolean field). */
export function validateOutput(output: unknown, value: unknown, where: string): { schema: OutputSchema; value: string; jsonSchema: string } {
  assertDefinition(isZodObject(output), `${where}.output`, 'a zod object schema, e.g. z.object({ willIsolate: z.number().min(0).max(1) })', output, 'Wrap the field in z.object({ ... }): the model answers with a JSON object.');
  const shape = output.shape as Record<string, unknown>;
  const numeric = Object.keys(shape).filter((k) => ['number', 'boolean', 'int'].includes(baseType(shape[k]) ?? ''));
  let field: string;
  if (value === undefined) {
    assertDefinition(numeric.length === 1, `${where}.value`, `the name of the output field whose value reaches the agents (the schema has ${numeric.length} numeric or boolean fields: [${numeric.join(', ')}])`, value, numeric.length > 1 ? `Say which: value: '${numeric[0]}'.` : 'Add a z.number() or z.boolean() field to the output schema.');
    field = numeric[0]!;
  } else {
    assertDefinition(typeof value === 'string' && Object.hasOwn(shape, value), `${where}.value`, `a field of the output schema [${Object.keys(shape).join(', ')}]`, value);
    assertDefinition(numeric.includes(value), `${where}.value`, `a numeric or boolean field (numeric or boolean fields: [${numeric.join(', ')}])`, value, `Field '${value}' is a ${baseType(shape[value])}; the agents need a number.`);
    field = value;
  }
  let jsonSchema: string;
  try {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(output) as Record<string, unknown>;
    jsonSchema = JSON.stringify(rest);
  } catch (cause) {
    assertDefinition(false, `${where}.output`, 'a schema that converts to JSON schema (no transforms or custom types)', output, `zod said: ${(cause as Error).message}`);
  }
  return { schema: output, value: field, jsonSchema };
}

/** The number an answer gives the agents: the value field (booleans as 1/0), or undefined when it is not finite. */
export function answerValue(answer: Readonly<Record<string, unknown>>, field: string): number | undefined {
  const v = answer[field];
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** The first balanced `{...}` starting at `from` (respecting strings), or undefined. */
function balancedObject(text: string, from: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(from, i + 1);
  }
  return undefined;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses a JSON object out of a model's text: the whole text, else a ```json code fence, else the
 * first balanced `{...}` in surrounding prose that parses. Undefined when there is none.
 */
export function extractJson(text: string): Record<string, unknown> | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const whole = tryParse(text.trim());
  if (isObject(whole)) return whole;
  for (const m of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) {
    const fenced = tryParse(m[1]!.trim());
    if (isObject(fenced)) return fenced;
  }
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
    const candidate = balancedObject(text, i);
    const parsed = candidate === undefined ? undefined : tryParse(candidate);
    if (isObject(parsed)) return parsed;
  }
  return undefined;
}
