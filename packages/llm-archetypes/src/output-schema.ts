/**
 * A chat model's answer: the number of its value field, and the parsing of
 * JSON out of its text (bare, in a code fence, or inside prose). The schema
 * and the value field are checked by core's defineArchetype.
 */
import type { ArchetypeOutputSchema } from '@populace/core';

/** Any zod object schema (zod 4): core's ArchetypeOutputSchema. */
export type OutputSchema = ArchetypeOutputSchema;

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
