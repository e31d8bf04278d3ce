/**
 * `--input name=file.csv|file.json|number`: an exogenous series a model reads
 * each step. Files are read and checked value by value before any simulation
 * work; every mistake is a usage error naming the file, the row or index, and
 * what was expected.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { InputValue } from '@populace/core';
import { usageError, type OptionSpec } from './args.js';
import { checkInputFile } from './input-file.js';

/** `--input` of run, calibrate and sensitivity. */
export const INPUT_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  value: 'name=file|number',
  description: "feed a model input ('populace models <id>' lists them): a CSV (one value per row, optional header and step column), a JSON array (or { values }), or a constant; repeatable",
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const STEP_COLUMNS = ['step', 'day', 'date'];

function parseCsvSeries(text: string, where: string, name: string): number[] {
  const rows = text.split(/\r?\n/).map((line, i) => ({ row: i + 1, cells: line.split(',').map((c) => c.trim()) })).filter((r) => r.cells.some((c) => c !== ''));
  if (rows.length === 0) usageError(`${where}: the file is empty; expected one number per row (an optional header row first).`);
  const header = rows[0]!.cells.some((c) => c !== '' && !NUMBER.test(c)) ? rows.shift()!.cells : undefined;
  let column = 0;
  if (header) {
    const named = header.indexOf(name);
    const data = header.map((h, i) => [h, i] as const).filter(([h]) => !STEP_COLUMNS.includes(h.toLowerCase()));
    if (named >= 0) column = named;
    else if (data.length === 1) column = data[0]![1];
    else usageError(`${where}: the header has columns [${header.join(', ')}]; expected one value column (besides step/day/date) or one named '${name}'.`);
  } else if (rows[0]!.cells.length > 1) {
    usageError(`${where}: rows have ${rows[0]!.cells.length} columns and no header; expected one number per row, or a header naming the column '${name}'.`);
  }
  if (rows.length === 0) usageError(`${where}: the file has a header but no values; expected one number per row.`);
  return rows.map(({ row, cells }) => {
    const raw = cells[column] ?? '';
    if (!NUMBER.test(raw) || !Number.isFinite(Number(raw))) usageError(`${where}, row ${row}: expected a number, received ${JSON.stringify(raw)}.`, { row });
    return Number(raw);
  });
}

function parseJsonSeries(text: string, where: string): number[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    usageError(`${where}: not valid JSON (${(error as Error).message}); expected an array of numbers or { "values": [...] }.`);
  }
  const values = Array.isArray(data) ? data : (data as { values?: unknown })?.values;
  if (!Array.isArray(values) || values.length === 0) usageError(`${where}: expected a non-empty array of numbers, or { "values": [...] }.`);
  const bad = (values as unknown[]).findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) usageError(`${where}: value ${bad} expected a finite number, received ${JSON.stringify((values as unknown[])[bad])}.`, { index: bad });
  return values as number[];
}

/**
 * Reads every `--input name=value` (a later one of the same name wins): a number is a constant, a
 * value ending in .csv or .json a file read relative to `cwd`.
 */
export async function inputValues(texts: readonly string[], cwd: string): Promise<Record<string, InputValue>> {
  const out = new Map<string, InputValue>();
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0 || eq === text.length - 1) usageError(`--input: expected name=file.csv, name=file.json or name=number (e.g. --input layersLost=culls.csv), received ${JSON.stringify(text)}.`, { received: text });
    const name = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    if (NUMBER.test(value)) {
      out.set(name, Number(value));
      continue;
    }
    const ext = path.extname(value).toLowerCase();
    if (ext !== '.csv' && ext !== '.json') usageError(`--input ${name}: expected a number or a file ending in .csv or .json, received ${JSON.stringify(value)}.`, { received: value });
    const full = checkInputFile(value, cwd, 'input', 'a .csv or .json file of numbers, one per step');
    const body = await readFile(full, 'utf8');
    const where = `--input ${name}=${value}`;
    out.set(name, ext === '.csv' ? parseCsvSeries(body, where, name) : parseJsonSeries(body, where));
  }
  return Object.fromEntries(out);
}
