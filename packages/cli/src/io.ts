/**
 * The terminal the CLI talks to. `main` takes it as an argument so tests (and
 * programs embedding the CLI) can run commands in process and capture output.
 */

import { widthFor } from './text-width.js';

/** Anything with a `write(text)` method: a stream, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
}

/** What `main` reads from and writes to; every field is optional and defaults to the process's. */
export interface CliIO {
  /** Results: tables, summaries, JSON documents. Default `process.stdout`. */
  readonly stdout?: TextSink;
  /** Errors and the progress bar. Default `process.stderr`. */
  readonly stderr?: TextSink;
  /** Whether stderr is a terminal: the progress bar is drawn only then. Default `process.stderr.isTTY`. */
  readonly isTTY?: boolean;
  /** Width of the stderr terminal, for the progress bar. Default `process.stderr.columns` or 80. */
  readonly columns?: number;
  /**
   * Width that tables and help on stdout are fitted to. Default: the terminal's columns when stdout
   * is the process's and a terminal, else $COLUMNS from `env`, else 100 (at least 40).
   */
  readonly width?: number;
  /** Directory that plugins, config files and relative paths are resolved from. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Environment variables (`POPULACE_DEBUG`). Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Aborts a running simulation between steps (the bin wires it to Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** A CliIO with every default filled in. */
export type ResolvedIO = Required<Omit<CliIO, 'signal'>> & { readonly signal: AbortSignal | undefined };

/** Fills in the defaults of `io` from the current process. */
export function resolveIO(io: CliIO = {}): ResolvedIO {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    isTTY: io.isTTY ?? process.stderr.isTTY === true,
    columns: io.columns ?? (process.stderr.columns || 80),
    width: io.width ?? widthFor(io.stdout === undefined || io.stdout === process.stdout ? process.stdout : {}, io.env ?? process.env),
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    signal: io.signal,
  };
}
