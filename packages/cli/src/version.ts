/** The CLI's own version, read from its package.json. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version of @populace/cli (e.g. `0.1.0`). */
export function cliVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
