/**
 * `--out`: checking the target before a run, rendering the result as JSON or
 * CSV, and writing it atomically (a temporary file in the same directory,
 * then a rename), so a failure never leaves a half-written file behind.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PopulaceError } from '@populace/core';
import { usageError } from './args.js';

/** Formats `--out` (json, csv, parquet) and `--plot` (png, svg) can write, by file extension. */
export type OutFormat = 'json' | 'csv' | 'parquet' | 'png' | 'svg';

/** What `--out` of run and sweep writes. */
export const OUT_FORMATS: readonly OutFormat[] = ['json', 'csv', 'parquet'];

/** A checked `--out` target. */
export interface OutTarget {
  readonly path: string;
  readonly format: OutFormat;
}

/**
 * Resolves `file` against `cwd` and checks, before any simulation work, that its extension is
 * one of `formats` (default .json and .csv), that its directory exists and that it is not itself
 * a directory. `option` names the option in messages (default `out`).
 */
export function checkOutTarget(file: string, cwd: string, formats: readonly OutFormat[] = ['json', 'csv'], option = 'out'): OutTarget {
  const full = path.resolve(cwd, file);
  const ext = path.extname(full).toLowerCase();
  if (!formats.some((f) => ext === `.${f}`)) {
    const names = formats.map((f) => `.${f}`);
    usageError(
      `--${option}: expected a file ending in ${names.join(' or ')}, received ${JSON.stringify(file)}${ext ? ` (extension '${ext}')` : ' (no extension)'}. Name the file ${formats.map((f) => `results.${f}`).join(' or ')}.`,
      { option, received: file },
    );
  }
  const dir = path.dirname(full);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    usageError(`--${option} ${file}: the directory ${dir} does not exist. Create it first (mkdir -p ${JSON.stringify(dir)}) or choose another path.`, { option, received: file });
  }
  if (!dirStat.isDirectory()) usageError(`--${option} ${file}: ${dir} is not a directory. Choose a path inside a directory.`, { option, received: file });
  let target;
  try {
    target = statSync(full);
  } catch {
    target = undefined;
  }
  if (target?.isDirectory()) usageError(`--${option} ${file}: ${full} is a directory. Give a file name such as ${path.join(file, `results${ext}`)}.`, { option, received: file });
  if (target !== undefined && !target.isFile()) usageError(`--${option} ${file}: ${full} exists and is not a regular file (a FIFO or a device). Choose another path.`, { option, received: file });
  probeWritable(dir, option, file);
  return { path: full, format: ext.slice(1) as OutFormat };
}

/**
 * Creates and removes a file in `dir`: the write that the atomic write will make, tried before
 * the run (permissions alone do not say it: a read-only mount, /proc, a full disk, root).
 */
function probeWritable(dir: string, option: string, file: string): void {
  const probe = path.join(dir, `.populace-write-check.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    usageError(`--${option} ${file}: cannot write in ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Choose a writable directory; nothing was run.`, { option, received: file });
  }
  rmSync(probe, { force: true });
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Metric series as CSV: a header `step,<metric>...`, then one row per step (steps from 1). */
export function metricsCsv(metrics: Readonly<Record<string, readonly number[]>>): string {
  const names = Object.keys(metrics);
  const steps = Math.max(0, ...names.map((n) => metrics[n]!.length));
  const lines = [['step', ...names].map(csvCell).join(',')];
  for (let i = 0; i < steps; i++) lines.push([String(i + 1), ...names.map((n) => (metrics[n]![i] === undefined ? '' : String(metrics[n]![i])))].join(','));
  return lines.join('\n') + '\n';
}

/** Writes `text` (or bytes) to `target` atomically; a failure is a PopulaceError and leaves no file behind. */
export async function writeAtomic(target: string, text: string | Uint8Array, option = 'out'): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new PopulaceError('write-failed', `--${option}: could not write ${target} (${(error as Error).message}). Check that the directory is writable and has space.`, { cause: error, details: { option, path: target } });
  }
}
