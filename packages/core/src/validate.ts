import { PopulaceError } from './errors.js';

/** A short, readable rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length <= 8 && value.every((v) => typeof v === 'number' || typeof v === 'string') ? JSON.stringify(value) : `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `an object with keys [${Object.keys(value as object).slice(0, 8).join(', ')}]`;
}

/** True for `{}`-like objects (not arrays, not class instances): what a JSON object parses to. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Throws an `invalid-definition` error unless `cond` holds. */
export function assertDefinition(cond: unknown, where: string, expected: string, received: unknown, fix?: string): asserts cond {
  if (!cond) {
    throw new PopulaceError(
      'invalid-definition',
      `${where}: expected ${expected}, received ${describeValue(received)}.${fix ? ` ${fix}` : ''}`,
      { details: { where, expected } },
    );
  }
}

/** Throws an `invalid-argument` error unless `cond` holds. */
export function assertArgument(cond: unknown, where: string, expected: string, received: unknown, fix?: string): asserts cond {
  if (!cond) {
    throw new PopulaceError(
      'invalid-argument',
      `${where}: expected ${expected}, received ${describeValue(received)}.${fix ? ` ${fix}` : ''}`,
      { details: { where, expected } },
    );
  }
}

/** Local names of models, populations, parameters, metrics: letters, digits, `-`, `_`, `:` and `.`. */
export const LOCAL_NAME = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

/** Deep-freezes plain objects and arrays (typed arrays and class instances are left as they are). */
export function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
    return Object.freeze(value);
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) deepFreeze(value[key]);
    return Object.freeze(value);
  }
  return value;
}

/** Copies plain objects and arrays deeply; functions, typed arrays and class instances are shared. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => deepCopy(item)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = deepCopy(value[key]);
    return out as T;
  }
  return value;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance, if any. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const bare = candidate.includes('/') ? candidate.slice(candidate.indexOf('/') + 1) : candidate;
    const d = Math.min(editDistance(name, candidate), editDistance(name, bare));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
