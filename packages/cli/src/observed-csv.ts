/**
 * `--observed file.csv` of `populace calibrate`: observed metric series read from
 * a CSV file and checked cell by cell before any simulation work. Every mistake
 * is a usage error naming the file, the row (1-based, the header is row 1) and
 * the column. The CSV that `populace run --out x.csv` writes is accepted as is.
 */
import { readFile } from 'node:fs/promises';
import { PopulaceError, validateObserved, type ObservedData } from '@populace/core';
import { suggest, usageError } from './args.js';
import { checkInputFile } from './input-file.js';

/** The last observed step calibrate accepts when --steps does not say otherwise (the servers' default step limit). */
export const DEFAULT_MAX_OBSERVED_STEP = 10_000;

/** The last step the observed rows may reach: --steps when given (`explicit`), else the default bound. */
export interface StepHorizon {
  readonly maxStep: number;
  readonly explicit: boolean;
  /** Called with the last observed step before the series (one slot per step) are allocated; throws to refuse. */
  readonly beforeAllocating?: (steps: number) => void;
}

/** Names a step column may have (case-insensitive; a metric of the same name stays a metric). */
const STEP_COLUMNS = ['step', 'day'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Observed series read from a CSV file. */
export interface ObservedCsv {
  /** The file as given on the command line. */
  readonly file: string;
  /** Series by metric, indexed by step - 1; null where unobserved (an empty cell or a missing step). */
  readonly observed: Record<string, (number | null)[]>;
  /** The last step observed: the calibration simulates this many steps. */
  readonly steps: number;
  /** Data rows. */
  readonly rows: number;
  /** Observed (non-empty) cells. */
  readonly points: number;
  /** The row number of each observed step. */
  readonly rowOfStep: ReadonlyMap<number, number>;
}

interface CsvRecord {
  /** The line the record starts on (1-based). */
  readonly row: number;
  readonly cells: string[];
}

/** Splits CSV text into records (RFC 4180 quoting; blank lines skipped, their rows still counted). */
function parseCsv(text: string, where: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let separated = false;
  let line = 1;
  let row = 1;
  const end = (): void => {
    cells.push(cell);
    if (separated || cell.trim() !== '') records.push({ row, cells });
    [cells, cell, separated] = [[], '', false];
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') [cell, i] = [cell + '"', i + 1];
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') [quoted, cell] = [true, ''];
    else if (c === ',') {
      cells.push(cell);
      [cell, separated] = ['', true];
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      end();
      row = ++line;
    } else cell += c;
  }
  if (quoted) usageError(`${where} row ${row}: a quoted cell is not closed. Close it with '"' (write "" for a quote inside a cell).`);
  end();
  return records;
}

/**
 * Reads `file` (relative to `cwd`): a header row, then one row per observed step. An optional
 * column `step` or `day` gives the steps (positive integers, strictly increasing); without it
 * the data rows are steps 1, 2, 3... Every other column must be one of `metrics`; a cell is a
 * number, or empty where unobserved. At least two data rows.
 */
export async function readObservedCsv(file: string, cwd: string, model: { readonly id: string; readonly metrics: readonly string[] }, horizon: StepHorizon = { maxStep: DEFAULT_MAX_OBSERVED_STEP, explicit: false }): Promise<ObservedCsv> {
  const where = `--observed ${file}`;
  // a FIFO would block the read forever; a device or a directory would fail halfway
  const full = checkInputFile(file, cwd, 'observed', "a CSV file with a header row, such as the one 'populace run --out observed.csv' writes");
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    usageError(`--observed: could not read ${JSON.stringify(file)} (${(error as Error).message}).`, { option: 'observed', received: file });
  }
  const records = parseCsv(text, where);
  const shape = "a header row (step,<metric>...) and at least 2 data rows";
  if (records.length === 0) usageError(`${where}: the file is empty; expected ${shape}.`, { option: 'observed', received: file });
  const [header, ...data] = records as [CsvRecord, ...CsvRecord[]];
  const names = header.cells.map((c) => c.trim());
  const at = (row: number, column: string): string => `${where} row ${row}, column '${column}'`;
  const metricList = model.metrics.join(', ');

  let stepColumn = -1;
  names.forEach((name, c) => {
    if (name === '') usageError(`${where} row ${header.row}: column ${c + 1} of the header has no name; expected a metric of '${model.id}' (${metricList}) or 'step'.`);
    if (names.indexOf(name) !== c) usageError(`${at(header.row, name)}: the column appears twice in the header; give each metric one column.`);
    if (STEP_COLUMNS.includes(name.toLowerCase()) && !model.metrics.includes(name)) {
      if (stepColumn >= 0) usageError(`${at(header.row, name)}: a second step column (after '${names[stepColumn]}'); keep one of 'step' or 'day'.`);
      stepColumn = c;
    } else if (!model.metrics.includes(name)) {
      const guess = suggest(name, model.metrics);
      usageError(`${at(header.row, name)}: not a metric of model '${model.id}'.${guess ? ` Did you mean '${guess}'?` : ''} Its metrics: ${metricList} (and an optional 'step' or 'day' column).`, { column: name, metrics: model.metrics });
    }
  });
  const metricColumns = names.flatMap((name, c) => (c === stepColumn ? [] : [[name, c] as const]));
  if (metricColumns.length === 0) usageError(`${where} row ${header.row}: the header names no metric; expected columns among ${metricList}.`);
  if (data.length < 2) {
    usageError(`${where}: ${data.length === 0 ? 'the file has a header but no data rows' : 'the file has only 1 data row'}; expected ${shape} (one row per observed step).`, { option: 'observed', rows: data.length });
  }

  const values = new Map<number, (number | null)[]>();
  const rowOfStep = new Map<number, number>();
  let previous = 0;
  let points = 0;
  for (const { row, cells } of data) {
    if (cells.length !== names.length) usageError(`${where} row ${row}: expected ${names.length} cells (one per header column), received ${cells.length}.`, { row });
    let step = previous + 1;
    if (stepColumn >= 0) {
      const raw = cells[stepColumn]!.trim();
      step = Number(raw);
      if (!/^\+?\d+$/.test(raw) || !Number.isSafeInteger(step) || step < 1) usageError(`${at(row, names[stepColumn]!)}: expected a positive whole step number, received ${JSON.stringify(raw)}.`, { row });
      if (step <= previous) usageError(`${at(row, names[stepColumn]!)}: steps must be strictly increasing; expected a step after ${previous}, received ${step}.`, { row });
    }
    // checked before the series are allocated (one slot per step up to the last)
    if (step > horizon.maxStep) {
      usageError(
        horizon.explicit
          ? `${at(row, stepColumn >= 0 ? names[stepColumn]! : 'step')}: step ${step} is beyond --steps ${horizon.maxStep}, the horizon simulated. Raise --steps or drop the rows after step ${horizon.maxStep}.`
          : `${at(row, stepColumn >= 0 ? names[stepColumn]! : 'step')}: step ${step.toLocaleString('en-US')} is beyond the ${horizon.maxStep.toLocaleString('en-US')} steps calibrate simulates unless told otherwise. Check the step column, or pass --steps ${step} to simulate that far (the memory check then decides).`,
        { row, step, maxStep: horizon.maxStep },
      );
    }
    previous = step;
    rowOfStep.set(step, row);
    values.set(step, metricColumns.map(([name, c]) => {
      const raw = cells[c]!.trim();
      if (raw === '') return null;
      const value = Number(raw);
      if (!NUMBER.test(raw) || !Number.isFinite(value)) usageError(`${at(row, name)}: expected a number, or an empty cell where unobserved, received ${JSON.stringify(raw)}.`, { row, column: name });
      points++;
      return value;
    }));
  }
  horizon.beforeAllocating?.(previous);
  const observed = Object.fromEntries(metricColumns.map(([name], k) => [name, Array.from({ length: previous }, (_, i) => values.get(i + 1)?.[k] ?? null)]));
  return { file, observed, steps: previous, rows: data.length, points, rowOfStep };
}

/**
 * Checks the series with core's `validateObserved` (a count likelihood needs non-negative
 * values; every column needs one observed value), naming the file, row and column in the error.
 */
export function checkObserved(csv: ObservedCsv, metrics: readonly string[], counts: boolean): ObservedData {
  try {
    validateObserved(csv.observed, metrics, counts, 'calibrate');
  } catch (error) {
    if (!PopulaceError.isInstance(error)) throw error;
    const { metric, index } = error.details;
    const row = typeof index === 'number' ? csv.rowOfStep.get(index + 1) : undefined;
    const location = row !== undefined && typeof metric === 'string' ? ` row ${row}, column '${metric}'` : '';
    throw new PopulaceError(error.code, `--observed ${csv.file}${location}: ${error.message}`, { details: { ...error.details, option: 'observed', ...(row === undefined ? {} : { row }) }, cause: error });
  }
  return csv.observed;
}
