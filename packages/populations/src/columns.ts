/**
 * Column parsers for population files: each takes the raw cells of one column
 * (strings from CSV; numbers, bigints or strings from Parquet), checks them and
 * stores them in a compact typed array. A bad cell throws a CellError that the
 * table reader turns into a file/row/column error.
 */
import { CellError, showValue } from './file-errors.js';

/** A cell as a reader delivers it. */
export type RawValue = string | number | bigint | boolean | null | undefined;

/** Receives the cells of one column by 0-based data row. */
export interface ColumnSink {
  put(row: number, value: RawValue): void;
}

/** Numeric attribute types of a population file. */
export const NUMERIC_TYPES = ['uint8', 'uint16', 'int32', 'float32', 'float64'] as const;
/** One of NUMERIC_TYPES. */
export type NumericType = (typeof NUMERIC_TYPES)[number];

type Typed = Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array;
const CTORS = { uint8: Uint8Array, uint16: Uint16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array } as const;
const RANGES: Record<NumericType, [number, number] | undefined> = { uint8: [0, 255], uint16: [0, 65535], int32: [-(2 ** 31), 2 ** 31 - 1], float32: undefined, float64: undefined };

/** A number from a cell, or undefined when it is not one. */
export function cellNumber(value: RawValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    const n = Number(text);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** A typed array that grows as rows arrive. */
class Growing<T extends Typed> {
  data: T;
  constructor(readonly ctor: new (n: number) => T, capacity: number) {
    this.data = new ctor(Math.max(16, capacity));
  }
  set(row: number, value: number): void {
    if (row >= this.data.length) {
      const bigger = new this.ctor(Math.max(row + 1, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[row] = value;
  }
  finish(rows: number): T {
    return this.data.length === rows ? this.data : (this.data.slice(0, rows) as T);
  }
}

/** Numbers of one dtype: integers in range for the integer types, finite numbers for the float types. */
export class NumericSink implements ColumnSink {
  readonly #values: Growing<Typed>;
  readonly #expected: string;
  constructor(
    readonly type: NumericType,
    capacity = 0,
  ) {
    this.#values = new Growing<Typed>(CTORS[type], capacity);
    const range = RANGES[type];
    this.#expected = range ? `an integer in [${range[0]}, ${range[1]}] (${type})` : `a finite number (${type})`;
  }
  put(row: number, value: RawValue): void {
    const n = cellNumber(value);
    const range = RANGES[this.type];
    if (n === undefined || !Number.isFinite(n) || (range && (!Number.isInteger(n) || n < range[0] || n > range[1]))) throw new CellError(this.#expected, showValue(value));
    this.#values.set(row, n);
  }
  finish(rows: number): Typed {
    return this.#values.finish(rows);
  }
}

/** Integer-coded categories: a cell is a code in [0, labels) or one of the labels. */
export class CategorySink implements ColumnSink {
  readonly #values: Growing<Uint8Array | Uint16Array>;
  readonly #codes: Map<string, number>;
  constructor(
    readonly labels: readonly string[],
    capacity = 0,
  ) {
    this.#values = new Growing<Uint8Array | Uint16Array>(labels.length <= 256 ? Uint8Array : Uint16Array, capacity);
    this.#codes = new Map(labels.map((l, i) => [l, i]));
  }
  put(row: number, value: RawValue): void {
    const label = typeof value === 'string' ? this.#codes.get(value.trim()) : undefined;
    if (label !== undefined) return this.#values.set(row, label);
    const n = cellNumber(value);
    if (n === undefined || !Number.isInteger(n) || n < 0 || n >= this.labels.length) {
      const list = this.labels.length <= 12 ? this.labels.map((l) => JSON.stringify(l)).join(', ') : `${this.labels.length} labels`;
      throw new CellError(`a category code in [0, ${this.labels.length - 1}] or one of the labels [${list}]`, showValue(value), 'Add the value to the labels in the manifest or fix the cell.');
    }
    this.#values.set(row, n);
  }
  finish(rows: number): Uint8Array | Uint16Array {
    return this.#values.finish(rows);
  }
}

/** The key of an id cell: canonical integers as numbers (so 7 in Parquet and "7" in CSV match), other text as strings. */
export function idKey(value: RawValue): number | string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
}

/** Unique agent ids: fails on a duplicate; `indexOf` maps an id to its row (0-based). */
export class IdSink implements ColumnSink {
  #identity = true;
  #rows = 0;
  readonly #index = new Map<number | string, number>();
  put(row: number, value: RawValue): void {
    const key = idKey(value);
    if (key === undefined) throw new CellError('an agent id (an integer or text)', showValue(value));
    if (this.#identity && key === row) {
      this.#rows = row + 1;
      return;
    }
    if (this.#identity) {
      for (let r = 0; r < this.#rows; r++) this.#index.set(r, r);
      this.#identity = false;
    }
    const seen = this.#index.get(key);
    if (seen !== undefined) throw new CellError('a unique agent id', `${showValue(value)}, already the id of row ${seen + 1}`, 'Give every agent its own id.');
    this.#index.set(key, row);
    this.#rows = row + 1;
  }
  /** The row of an id, or -1. */
  indexOf(value: RawValue): number {
    const key = idKey(value);
    if (key === undefined) return -1;
    if (this.#identity) return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < this.#rows ? key : -1;
    return this.#index.get(key) ?? -1;
  }
}

/**
 * Group ids (households, areas) turned into dense codes 0..G-1: integer ids keep their order (ids
 * 0..G-1 stay as they are), other ids are numbered in order of first appearance.
 */
export class GroupSink implements ColumnSink {
  readonly #keys: (number | string)[] = [];
  put(row: number, value: RawValue): void {
    const key = idKey(value);
    if (key === undefined) throw new CellError('a group id (an integer or text)', showValue(value));
    this.#keys[row] = key;
  }
  finish(rows: number): { codes: Int32Array; labels: string[] } {
    const keys = this.#keys;
    const codes = new Int32Array(rows);
    const allIntegers = keys.every((k) => typeof k === 'number' && Number.isInteger(k));
    const distinct = allIntegers ? [...new Set(keys as number[])].sort((a, b) => a - b) : [...new Set(keys.map(String))];
    const code = new Map<number | string, number>(distinct.map((k, i) => [k, i]));
    for (let r = 0; r < rows; r++) codes[r] = code.get(allIntegers ? keys[r]! : String(keys[r]))!;
    return { codes, labels: distinct.map(String) };
  }
}

/** Agent references (edge endpoints): each cell must be the id of an agent. */
export class ReferenceSink implements ColumnSink {
  readonly #values: Growing<Int32Array>;
  constructor(
    readonly ids: IdSink | { readonly count: number },
    readonly agentsFile: string,
    capacity = 0,
  ) {
    this.#values = new Growing(Int32Array, capacity);
  }
  put(row: number, value: RawValue): void {
    let index: number;
    if (this.ids instanceof IdSink) index = this.ids.indexOf(value);
    else {
      const n = cellNumber(value);
      index = n !== undefined && Number.isInteger(n) && n >= 0 && n < this.ids.count ? n : -1;
    }
    if (index < 0) {
      const expected = this.ids instanceof IdSink ? `the id of an agent in ${this.agentsFile}` : `an agent row index in [0, ${(this.ids as { count: number }).count - 1}] of ${this.agentsFile}`;
      throw new CellError(expected, `${showValue(value)}, which is no agent`, 'Remove the edge or add the agent.');
    }
    this.#values.set(row, index);
  }
  finish(rows: number): Int32Array {
    return this.#values.finish(rows);
  }
}
