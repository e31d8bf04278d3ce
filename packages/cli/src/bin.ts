#!/usr/bin/env node
/**
 * The `populace` executable. Ctrl-C stops a run between steps (exit 130); a
 * second Ctrl-C exits at once. A closed stdout (`populace models | head`) ends quietly.
 * The Ctrl-C handler is installed before the CLI (and tfjs) load, so a Ctrl-C while
 * loading also exits 130.
 */
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted (Ctrl-C)'));
});
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { main } = await import('./main.js');
if (controller.signal.aborted) process.exit(130);
process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
