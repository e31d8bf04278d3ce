/**
 * A short rendering of a value received from outside, for error messages.
 */

/** `"abc"`, `12`, `null`, `an array of length 3`, `an object with keys [a, b]`... */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length <= 8 && value.every((v) => typeof v === 'number' || typeof v === 'string') ? JSON.stringify(value) : `an array of length ${value.length}`;
  return `an object with keys [${Object.keys(value as object).slice(0, 8).join(', ')}]`;
}

/** True for `{}`-like objects (not arrays, not class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
