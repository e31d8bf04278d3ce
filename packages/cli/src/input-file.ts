/**
 * Input files named on the command line (--observed, --config): each must be
 * a regular file. A FIFO would block the read forever, a device or a
 * directory would fail halfway; they are refused before anything is read.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { usageError } from './args.js';

/** What a non-regular file is, in words. */
function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Resolves `file` against `cwd` and checks that it is an existing regular file (symbolic links
 * followed); returns the full path. `option` names the option in messages; `what` the expected content.
 */
export function checkInputFile(file: string, cwd: string, option: string, what: string): string {
  const full = path.resolve(cwd, file);
  let stat;
  try {
    stat = statSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') usageError(`--${option}: the file ${JSON.stringify(file)} does not exist (looked for ${full}). Pass ${what}.`, { option, received: file });
    usageError(`--${option}: could not read ${JSON.stringify(file)} (${(error as Error).message}). Pass ${what}.`, { option, received: file });
  }
  if (!stat.isFile()) usageError(`--${option}: ${JSON.stringify(file)} is ${kindOf(stat)}, not a regular file; expected ${what}. Copy the data into a file first.`, { option, received: file });
  return full;
}
