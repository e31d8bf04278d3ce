/**
 * Turning a failure into one line on stderr and an exit code: PopulaceErrors
 * (the user's input, config or plugins) exit 2 with their message; anything
 * else is an internal error (exit 1), with its stack under POPULACE_DEBUG=1.
 */
import { allocationError, PopulaceError } from '@populace/core';
import type { ResolvedIO } from './io.js';

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, internal: 1, usage: 2, interrupted: 130 } as const;

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

function debugEnabled(io: ResolvedIO): boolean {
  const v = io.env.POPULACE_DEBUG?.toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}

/** Writes `error` to stderr as `populace: <reason>` and returns the exit code. */
export function reportError(thrown: unknown, io: ResolvedIO): number {
  // an allocation that failed where no estimate was at hand: still the numbers and exit 2
  const error = allocationError(thrown, 'the command');
  if (PopulaceError.isInstance(error)) {
    io.stderr.write(`populace: ${oneLine(error.message)}\n`);
    return error.code === 'aborted' ? EXIT.interrupted : EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`populace: internal error: ${oneLine(message) || (error as Error)?.name || 'unknown error'}\n`);
  if (debugEnabled(io) && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT.internal;
}
