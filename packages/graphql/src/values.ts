/**
 * Conversions between the wire's typed lists and the server-kit's records:
 * parameters (`[{ name, value | values }]` <-> `{ name: value }`), metric
 * series (`[{ name, values }]`) and numbers GraphQL's Float cannot carry
 * (NaN and infinities become null).
 */
import { PopulaceError, type ParamValue } from '@populace/core';

/** A number for a nullable Float field: null where it is not finite. */
export const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A parameter on the wire. */
export interface ParamOut {
  readonly name: string;
  readonly value: number | null;
  readonly values: readonly number[];
}

/** `{ beta: 0.3, weekly: [1, 2] }` as `[{ name: 'beta', value: 0.3, values: [0.3] }, { name: 'weekly', value: null, values: [1, 2] }]`. */
export function paramList(params: Readonly<Record<string, ParamValue>> | null | undefined): ParamOut[] {
  return Object.entries(params ?? {}).map(([name, v]) => (Array.isArray(v) ? { name, value: null, values: [...(v as number[])] } : { name, value: v as number, values: [v as number] }));
}

/** A parameter input (GraphQL gives explicit nulls for fields sent as null). */
export interface ParamIn {
  readonly name: string;
  readonly value?: number | null;
  readonly values?: readonly number[] | null;
}

/**
 * `[{ name, value }]` inputs as a `{ name: value }` record (undefined for no list). Each entry
 * needs exactly one of `value` and `values`, and a name at most once.
 */
export function paramRecord(list: readonly ParamIn[] | null | undefined, field = 'params'): Record<string, ParamValue> | undefined {
  if (list === null || list === undefined) return undefined;
  // a Map, then own properties: '__proto__' or 'constructor' stay names that the model check refuses
  const out = new Map<string, ParamValue>();
  list.forEach((p, i) => {
    const hasValue = p.value !== undefined && p.value !== null;
    const hasValues = p.values !== undefined && p.values !== null;
    if (hasValue === hasValues) {
      throw new PopulaceError('invalid-argument', `${field}[${i}] ('${p.name}'): expected exactly one of value (a number, for a scalar parameter) or values (a list, for a time-varying one), received ${hasValue ? 'both' : 'neither'}.`, { details: { field: `${field}[${i}]`, param: p.name } });
    }
    if (out.has(p.name)) {
      throw new PopulaceError('invalid-argument', `${field}[${i}]: parameter '${p.name}' is given twice. Give each parameter once.`, { details: { field: `${field}[${i}]`, param: p.name } });
    }
    out.set(p.name, hasValue ? (p.value as number) : [...(p.values as number[])]);
  });
  return Object.fromEntries(out);
}

/** A metric series on the wire. */
export interface SeriesOut {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/** `{ I: [1, 2] }` as `[{ name: 'I', values: [1, 2] }]` in `names`' order (non-finite values null). */
export function seriesList(series: Readonly<Record<string, readonly number[]>>, names: readonly string[] = Object.keys(series)): SeriesOut[] {
  return names.filter((n) => series[n] !== undefined).map((name) => ({ name, values: series[name]!.map(finite) }));
}

/** `value ?? undefined`: GraphQL's explicit null for an optional input counts as not given. */
export const given = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

/** Progress with its fraction (0 when the total is 0). */
export const progressOut = (p: { readonly done: number; readonly total: number; readonly unit: string }) => ({ ...p, fraction: p.total > 0 ? p.done / p.total : 0 });
