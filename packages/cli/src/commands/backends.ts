/**
 * `populace backends [--json]`: the tfjs backends Populace knows of, whether
 * each is installed and usable here (initialises, and runs every Populace
 * kernel as cpu does), its kernel set (native or portable), and why.
 */
import { backendRows, type BackendRow } from '@populace/server-kit';
import type { Command } from '../command.js';
import { table, toJson } from '../format.js';

/** One entry of `populace backends --json`: the list_backends operation's row (its kernel checks null when none ran). */
export type BackendSummary = BackendRow;

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
    // the rows of the list_backends operation (MCP's list_backends, GraphQL's listBackends)
    const rows = await backendRows();
    if (args.options.json) {
      io.stdout.write(toJson(rows satisfies BackendSummary[]) + '\n');
      return 0;
    }
    io.stdout.write(table(['BACKEND', 'PACKAGE', 'INSTALLED', 'USABLE', 'KERNELS', 'WHY'], rows.map((r) => [r.name, r.package, yesNo(r.installed), yesNo(r.usable), r.kernels, r.reason])));
    return 0;
  },
};
