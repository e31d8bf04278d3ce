#!/usr/bin/env node
/** The `create-populace-plugin` executable (what `npm create populace-plugin` runs). */
import { main, terminalAsk } from './main.js';

const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  ...(interactive ? { ask: terminalAsk(process.stdin, process.stdout) } : {}),
});
