/**
 * Help texts: the overview of `populace --help` and the usage of each command.
 */
import type { OptionSpec, OptionSpecs } from './args.js';
import { GLOBAL_OPTIONS, type Command } from './command.js';
import { outputWidth, wrapLine, wrapText } from './text-width.js';
import { cliVersion } from './version.js';

const EXIT_CODES = 'Exit codes: 0 success, 1 internal error, 2 invalid input (bad option, unknown id, value out of bounds,\nbroken config or plugin), 130 interrupted (Ctrl-C).';

/** `  name  description` lines, descriptions aligned and wrapped under themselves to `width`. */
function columnLines(entries: readonly (readonly [string, string])[], width: number): string {
  const left = Math.max(...entries.map(([l]) => l.length));
  return entries.map(([l, d]) => wrapLine(`  ${l.padEnd(left)}  ${d}`, width, left + 4)).join('\n');
}

function optionLines(specs: OptionSpecs, width: number): string {
  const label = (name: string, s: OptionSpec): string => `${s.short ? `-${s.short}, ` : ''}--${name}${s.type === 'string' ? ` <${s.value ?? 'value'}>` : ''}`;
  return columnLines(Object.entries(specs).map(([name, s]) => [label(name, s), s.description] as const), width);
}

/** `populace <command> --help`, fitted to `width` (default: the terminal's). */
export function commandHelp(command: Command, width: number = outputWidth()): string {
  return [
    command.usage.map((u, i) => wrapLine(i === 0 ? `Usage: populace ${u}` : u.startsWith(' ') ? `       ${u}` : `       populace ${u}`, width, 11)).join('\n'),
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.details ? ['', wrapText(command.details, width)] : []),
    '',
    'Options:',
    optionLines(command.options, width),
    '',
    'Global options:',
    optionLines(GLOBAL_OPTIONS, width),
    '',
    wrapText(EXIT_CODES, width),
    '',
  ].join('\n');
}

/** `populace --help`, fitted to `width` (default: the terminal's). */
export function globalHelp(commands: readonly Command[], width: number = outputWidth()): string {
  const names = commands.map((c) => [c.synopsis, c.summary] as const);
  const all = [...names, ['help [command]', 'show the help of a command'] as const];
  return wrapText([
    `populace ${cliVersion()}: run agent-based large population models from the terminal`,
    '',
    'Usage: populace <command> [options]',
    '',
    'Commands:',
    columnLines(all, width),
    '',
    'Global options:',
    optionLines(GLOBAL_OPTIONS, width),
    '',
    'Plugins: those named by --plugin and POPULACE_PLUGINS (package names are resolved from the',
    'current directory and from where populace is installed), then those of populace.config.js (or',
    '.mjs, .ts) in the current directory or of the file given with --config; without a config file,',
    'every installed package whose package.json declares "populace": { "plugin": "./dist/plugin.js" }',
    "(searched in node_modules from the current directory up). 'populace plugins' shows where each",
    'came from. The built-in example plugin (example/network-sir, example/network-seir,',
    'example/random-walk; populations example/random-graph, example/hashed-random-graph) is always loaded.',
    '',
    'Examples:',
    '  populace models',
    '  populace run example/network-sir --population example/random-graph --agents 100000 --steps 60 --seed 1',
    '  populace run random-walk --param speed=2 --json > walk.json',
    '  populace run network-sir --population random-graph --agents 3000 --param beta=0.06 --out observed.csv',
    '  populace calibrate network-sir --observed observed.csv --population random-graph --agents 3000 --params beta',
    '  populace sensitivity network-sir --population random-graph --agents 3000 --output newInfections:sum',
    '',
    'Environment: POPULACE_PLUGINS=<name|path>[:<name|path>...] loads plugins (separated like PATH:',
    "':' on Linux and macOS, ';' on Windows); POPULACE_DEBUG=1 prints the stack trace of internal errors.",
    EXIT_CODES,
    '',
  ].join('\n'), width);
}
