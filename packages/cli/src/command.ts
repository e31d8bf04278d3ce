/**
 * What a subcommand of `populace` is: its options, its help text and what it does.
 */
import type { OptionSpecs, ParsedArgs } from './args.js';
import type { ResolvedIO } from './io.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  config: { type: 'string', value: 'file', description: 'load plugins from this config file instead of populace.config.{js,mjs,ts} or installed packages' },
  plugin: { type: 'string', multiple: true, value: 'name|path', description: 'load this plugin: an installed package name (resolved from here and from where populace is installed) or a path to a package directory, package.json or module; repeatable; POPULACE_PLUGINS adds more (separated by : on Linux/macOS, ; on Windows)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  version: { type: 'boolean', description: "print the CLI's version" },
};

/** A subcommand. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Short form for the command list, e.g. `run <model>`. */
  readonly synopsis: string;
  /** Synopsis lines, without the leading `populace `. */
  readonly usage: readonly string[];
  /** Paragraphs printed after the synopsis in `--help`. */
  readonly details?: string;
  /** The command's own options (the global ones are added). */
  readonly options: OptionSpecs;
  /** Runs the command on validated-by-syntax arguments; returns the exit code. */
  run(args: ParsedArgs, io: ResolvedIO): Promise<number>;
}
