/**
 * `populace backends [--json]`: the tfjs backends Populace knows of, whether
 * each is installed and usable here (initialises, and runs every Populace
 * kernel as cpu does), its kernel set (native or portable), and why.
 */
import { probeBackends, type BackendProbe, type KernelCheck } from '@populace/core';
import type { Command } from '../command.js';
import { table, toJson } from '../format.js';

/** One entry of `populace backends --json`: a probe row with its kernel checks (null when not run) in place of the smoke test. */
export type BackendSummary = Omit<BackendProbe, 'smoke'> & { readonly checks: readonly KernelCheck[] | null };

const yesNo = (v: boolean): string => (v ? 'yes' : 'no');

export const backendsCommand: Command = {
  name: 'backends',
  summary: 'list the tfjs backends installed and usable here, and their Populace kernels',
  synopsis: 'backends',
  usage: ['backends [--json]'],
  details: [
    'One row per backend (cpu, wasm, tensorflow, webgl, and any added later): its package,',
    'whether it is installed, whether it is usable (it initialises and every Populace kernel,',
    'forward and backward, agrees with cpu on a small input), its kernel set (native: written',
    'for it; portable: stock tfjs ops) and why. --backend auto picks among the usable ones.',
    '',
    'JSON (--json): an array of { name, package, installed, usable, kernels, reason,',
    'checks: [{ name, ok, maxError, error? }] | null }.',
  ].join('\n'),
  options: {
    json: { type: 'boolean', description: 'print JSON on stdout instead of a table' },
  },
  async run(args, io) {
    const rows = await probeBackends();
    if (args.options.json) {
      const summaries: BackendSummary[] = rows.map((r) => ({ name: r.name, package: r.package, installed: r.installed, usable: r.usable, kernels: r.kernels, reason: r.reason, checks: r.smoke?.checks ?? null }));
      io.stdout.write(toJson(summaries) + '\n');
      return 0;
    }
    io.stdout.write(table(['BACKEND', 'PACKAGE', 'INSTALLED', 'USABLE', 'KERNELS', 'WHY'], rows.map((r) => [r.name, r.package, yesNo(r.installed), yesNo(r.usable), r.kernels, r.reason])));
    return 0;
  },
};
