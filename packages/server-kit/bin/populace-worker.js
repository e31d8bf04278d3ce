#!/usr/bin/env node
// The `populace-worker` command. This file is committed (dist/ is not) so that npm links the
// command on `npm ci` in a fresh clone; it starts the compiled program in ../dist.
import { existsSync } from 'node:fs';

const program = new URL('../dist/queue/worker-bin.js', import.meta.url);
if (!existsSync(program)) {
  process.stderr.write(
    'populace-worker: this package is not built (dist/queue/worker-bin.js is missing). Fix: run `npm run build` at the repository root.\n',
  );
  process.exit(1);
}
await import(program.href);
