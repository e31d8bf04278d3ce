/**
 * Parameter overrides as the analysis functions take them: like the
 * executor's, except that a single number given for a time-varying parameter
 * (epi/covid's weekly R) is applied to every period, and the result says so.
 */
import type { ParamValue, Runtime } from '@populace/core';

/**
 * The overrides with numbers for time-varying parameters expanded to one entry per period, and a
 * note for each expansion. Unknown names and bad values are left for the executor to report.
 *
 * @example
 * ```ts
 * expandParams(runtime, 'epi/covid', { R: 4.5 }).params.R; // [4.5, 4.5, ..., 4.5] (9 weeks)
 * ```
 */
export function expandParams(runtime: Runtime, model: string, params: Readonly<Record<string, ParamValue>> | undefined): { params: Record<string, ParamValue>; notes: string[] } {
  const notes: string[] = [];
  const specs = runtime.models.get(model).definition.parameters;
  // own names only, and an object built from entries: '__proto__' or 'constructor' reach the executor's check as names
  const out = Object.fromEntries(
    Object.entries(params ?? {}).map(([name, value]) => {
      const d = Object.hasOwn(specs, name) ? specs[name]!.default : undefined;
      if (!Array.isArray(d) || typeof value !== 'number') return [name, value];
      notes.push(`${name} is time-varying (${d.length} periods); the single value ${value} was applied to every period.`);
      return [name, d.map(() => value)];
    }),
  ) as Record<string, ParamValue>;
  return { params: out, notes };
}
