/**
 * The answer an archetype asks for: a zod object schema, and the numeric or
 * boolean field of it whose value reaches the agents.
 */
import { z } from 'zod';
import { assertDefinition } from './validate.js';

/** Any zod object schema (zod 4): the answer of an archetype. */
export type ArchetypeOutputSchema = z.ZodObject<z.ZodRawShape>;

/** A zod schema's type name (through optional/default/nullable/readonly wrappers). */
function baseType(schema: unknown): string | undefined {
  let def = (schema as { _zod?: { def?: { type?: string; innerType?: unknown } } })?._zod?.def;
  for (let i = 0; i < 8 && def && ['optional', 'default', 'nullable', 'readonly', 'prefault', 'nonoptional'].includes(def.type ?? ''); i++) {
    def = (def.innerType as { _zod?: { def?: { type?: string; innerType?: unknown } } })?._zod?.def;
  }
  return def?.type;
}

/** True for a zod object schema (`z.object({...})`), also from another copy of zod 4. */
export function isZodObject(schema: unknown): schema is ArchetypeOutputSchema {
  return schema instanceof z.ZodObject || (baseType(schema) === 'object' && typeof (schema as { safeParse?: unknown }).safeParse === 'function' && typeof (schema as { shape?: unknown }).shape === 'object');
}

/** Checks the output schema and picks the value field (default: the only numeric or boolean field). */
export function validateOutput(output: unknown, value: unknown, where: string): { schema: ArchetypeOutputSchema; value: string; jsonSchema: string } {
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
