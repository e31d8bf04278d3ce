#!/usr/bin/env node
/**
 * The `populace` executable. Ctrl-C stops a run between steps (exit 130); a
 * second Ctrl-C exits at once. A closed stdout (`populace models | head`) ends quietly.
 */
import { main } from './main.js';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted (Ctrl-C)'));
});
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
