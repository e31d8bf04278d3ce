/**
 * `main(argv, io)`: the whole CLI as a function that returns its exit code,
 * so it runs in process (tests, embedding) as well as from the bin.
 */
import { memoryLimitFromEnv, threadsFromEnv } from '@populace/core';
import { parseArgv, suggest, usageError } from './args.js';
import { GLOBAL_OPTIONS, type Command } from './command.js';
import { calibrateCommand } from './commands/calibrate.js';
import { backendsCommand } from './commands/backends.js';
import { modelsCommand } from './commands/models.js';
import { pluginsCommand } from './commands/plugins.js';
import { populationCommand } from './commands/population.js';
import { populationsCommand } from './commands/populations.js';
import { runCommand } from './commands/run.js';
import { sensitivityCommand } from './commands/sensitivity.js';
import { sweepCommand } from './commands/sweep.js';
import { commandHelp, globalHelp } from './help.js';
import { resolveIO, type CliIO, type ResolvedIO } from './io.js';
import { withOutputWidth } from './text-width.js';
import { EXIT, reportError } from './report.js';
import { cliVersion } from './version.js';

const COMMANDS: readonly Command[] = [modelsCommand, populationsCommand, pluginsCommand, populationCommand, runCommand, sweepCommand, calibrateCommand, sensitivityCommand, backendsCommand];

/** Index of the command word: the first argument that is neither an option nor the value of --config or --plugin. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return -1;
    if (arg === '--config' || arg === '--plugin') i++;
    else if (!arg.startsWith('-')) return i;
  }
  return -1;
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const names = COMMANDS.map((c) => c.name);
  const guess = suggest(name, [...names, 'help']);
  return usageError(`unknown command '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Commands: ${names.join(', ')}, help. Run 'populace --help' for usage.`, { command: name });
}

async function dispatch(argv: readonly string[], io: ResolvedIO): Promise<number> {
  // environment variables are checked before any work, so a bad value fails here, not mid-run
  threadsFromEnv(io.env);
  memoryLimitFromEnv(io.env);
  const options = argv.slice(0, Math.max(0, argv.indexOf('--') === -1 ? argv.length : argv.indexOf('--')));
  const wantsHelp = options.includes('--help') || options.includes('-h');
  const at = commandIndex(argv);
  if (at === -1) {
    if (wantsHelp) return write(io, globalHelp(COMMANDS));
    const parsed = parseArgv(argv, GLOBAL_OPTIONS, '');
    if (parsed.options.version) return write(io, `${cliVersion()}\n`);
    if (parsed.positionals.length > 0) findCommand(parsed.positionals[0]!);
    io.stderr.write(globalHelp(COMMANDS));
    io.stderr.write("\npopulace: missing command. Run 'populace run example/random-walk' to try one.\n");
    return EXIT.usage;
  }
  const name = argv[at]!;
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  if (name === 'help') {
    const topic = rest.find((a) => !a.startsWith('-'));
    return write(io, topic === undefined ? globalHelp(COMMANDS) : commandHelp(findCommand(topic)));
  }
  const command = findCommand(name);
  if (wantsHelp) return write(io, commandHelp(command));
  const args = parseArgv(rest, { ...GLOBAL_OPTIONS, ...command.options }, command.name);
  if (args.options.version) return write(io, `${cliVersion()}\n`);
  return command.run(args, io);
}

function write(io: ResolvedIO, text: string): number {
  io.stdout.write(text);
  return EXIT.ok;
}

/**
 * Runs the populace CLI on `argv` (the arguments after the program name) and returns the
 * exit code: 0 success, 1 internal error, 2 invalid input, 130 interrupted. Errors are
 * reported on `io.stderr` as one line `populace: <reason>`; nothing is thrown.
 *
 * @example
 * ```ts
 * import { main } from '@populace/cli';
 * let out = '';
 * const code = await main(['models', '--json'], { stdout: { write: (s: string) => (out += s) } });
 * const models = JSON.parse(out); // [{ id: 'example/network-sir', ... }, ...]
 * ```
 */
export async function main(argv: readonly string[], io: CliIO = {}): Promise<number> {
  const resolved = resolveIO(io);
  try {
    return await withOutputWidth(resolved.width, () => dispatch(argv, resolved));
  } catch (error) {
    return reportError(error, resolved);
  }
}
