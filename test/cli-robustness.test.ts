/**
 * The CLI under hostile input: prototype names as parameters, output paths
 * that cannot be written, input files that are not regular files, sizes the
 * machine cannot hold and bad environment variables. Each is refused before
 * any work, with exit 2 and one line that says why and what to do.
 * Needs the builds: npx turbo run build
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, runCli, type Outcome } from './fixtures/cli/harness.js';
import { removeTempDirs, tempProject } from './fixtures/cli/projects.js';

let dir: string;
const cli = (argv: string[], env: Record<string, string> = {}): Promise<Outcome> => runCli(argv, { cwd: dir, env });
const SIR = ['example/network-sir', '--population', 'example/random-graph', '--agents', '1000'];

beforeAll(async () => {
  dir = await tempProject();
});
afterAll(removeTempDirs);

describe('parameter and option names are own names', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])('--param %s=1 is refused with the valid names', async (name) => {
    const r = await cli(['run', ...SIR, '--steps', '2', '--param', `${name}=1`]);
    expectUsageError(r, `has no parameter '${name}'`, 'beta, gamma, seedFraction');
  });

  it('calibrate --params constructor and sensitivity --params toString are refused', async () => {
    writeFileSync(path.join(dir, 'obs.csv'), 'step,newInfections\n1,1\n2,3\n');
    expectUsageError(await cli(['calibrate', ...SIR, '--observed', 'obs.csv', '--params', 'constructor', '--epochs', '1']), "no parameter 'constructor'");
    expectUsageError(await cli(['sensitivity', ...SIR, '--output', 'I', '--params', 'toString', '--steps', '2']), "no parameter 'toString'");
  });

  it('an option named like a prototype property is an unknown option', async () => {
    expectUsageError(await cli(['run', ...SIR, '--constructor', 'x']), "unknown option '--constructor'");
    expectUsageError(await cli(['run', ...SIR, '--toString']), "unknown option '--toString'");
  });

  it('--behavior __proto__=x is refused as an unknown slot', async () => {
    expectUsageError(await cli(['run', ...SIR, '--steps', '2', '--behavior', '__proto__=covid-isolation']), "no behaviour slot '__proto__'");
  });
});

describe('sizes the machine cannot hold are refused before any build, with the numbers', () => {
  const LIMIT = { POPULACE_MAX_MEMORY: '2GB' };

  it('run --agents 50000000 on random-graph: needed vs available, and the fix', async () => {
    const r = await cli(['run', 'example/network-sir', '--population', 'example/random-graph', '--agents', '50000000', '--steps', '2'], LIMIT);
    expectUsageError(r, 'this run of example/network-sir needs about 11.5 GB of memory', 'population 2.3 GB (50,000,000 agents, 500,000,000 edges)', 'but 2.0 GB is available', 'POPULACE_MAX_MEMORY=2GB', 'Use fewer agents or steps', 'agents fit at 2 steps');
  });

  it('a 400M-agent hashed graph and population describe at 100M agents', async () => {
    expectUsageError(await cli(['run', 'example/network-sir', '--population', 'example/hashed-random-graph', '--agents', '400000000', '--steps', '2'], LIMIT), '400,000,000 agents', 'but 2.0 GB is available');
    expectUsageError(await cli(['population', 'describe', 'example/random-graph', '--agents', '50000000'], { POPULACE_MAX_MEMORY: '1GB' }), "building population 'example/random-graph' needs about 2.3 GB", 'but 1.0 GB is available');
  });

  it('run --steps 1000000000: the metric series alone cannot fit (no operator limit needed)', async () => {
    expectUsageError(await cli(['run', ...SIR, '--steps', '1000000000']), 'metrics 64.0 GB (1,000,000,000 steps)');
  });

  it('sensitivity: the gradient tape of agents x steps is part of the estimate', async () => {
    expectUsageError(await cli(['sensitivity', 'example/network-sir', '--population', 'example/random-graph', '--agents', '1000000', '--steps', '2000', '--output', 'I'], LIMIT), 'this gradient run', 'gradient tape');
  });

  it('a bad POPULACE_MAX_MEMORY or POPULACE_THREADS fails at startup', async () => {
    expectUsageError(await cli(['models'], { POPULACE_MAX_MEMORY: 'lots' }), 'POPULACE_MAX_MEMORY: expected a size such as 8GB');
    expectUsageError(await cli(['models'], { POPULACE_THREADS: 'abc' }), 'POPULACE_THREADS: expected a whole number of threads in [1, 64], received "abc"');
    expectUsageError(await cli(['run', ...SIR], { POPULACE_THREADS: '0' }), 'POPULACE_THREADS');
  });
});

describe('calibrate: observed steps within a horizon, checked before allocation', () => {
  it('a step column saying 1000000000 is refused at once (was: V8 out of memory after 48 s)', async () => {
    writeFileSync(path.join(dir, 'far.csv'), 'step,newInfections\n1,1\n2,3\n1000000000,5\n');
    const r = await cli(['calibrate', ...SIR, '--observed', 'far.csv', '--epochs', '1']);
    expectUsageError(r, "far.csv row 4, column 'step': step 1,000,000,000 is beyond the 10,000 steps calibrate simulates", '--steps 1000000000');
  });

  it('--steps T: rows beyond T are refused; --steps 1000000000 lets the memory check decide', async () => {
    writeFileSync(path.join(dir, 'seven.csv'), 'step,newInfections\n1,1\n2,3\n7,5\n');
    expectUsageError(await cli(['calibrate', ...SIR, '--observed', 'seven.csv', '--steps', '5', '--epochs', '1']), "row 4, column 'step': step 7 is beyond --steps 5");
    writeFileSync(path.join(dir, 'far.csv'), 'step,newInfections\n1,1\n2,3\n1000000000,5\n');
    expectUsageError(await cli(['calibrate', ...SIR, '--observed', 'far.csv', '--steps', '1000000000', '--epochs', '1']), 'needs about', '1,000,000,000 steps');
  });
});

describe('output and input paths are checked before the run', () => {
  it('--out and --plot into a directory that cannot be written: refused before running', async () => {
    expectUsageError(await cli(['run', ...SIR, '--out', '/proc/result.json']), '--out /proc/result.json: cannot write in /proc', 'nothing was run');
    expectUsageError(await cli(['run', ...SIR, '--plot', '/proc/chart.png']), '--plot /proc/chart.png: cannot write in /proc');
    writeFileSync(path.join(dir, 'obs2.csv'), 'step,newInfections\n1,1\n2,3\n');
    expectUsageError(await cli(['calibrate', ...SIR, '--observed', 'obs2.csv', '--out', '/proc/fit.json']), '--out /proc/fit.json: cannot write in /proc');
  });

  it('--observed and --config on a FIFO are refused instead of hanging', async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expectUsageError(await cli(['calibrate', ...SIR, '--observed', 'pipe.csv', '--epochs', '1']), '--observed: "pipe.csv" is a FIFO (named pipe), not a regular file');
    const fifoConfig = path.join(dir, 'populace.config.mjs.pipe');
    execFileSync('mkfifo', [fifoConfig]);
    expectUsageError(await cli(['models', '--config', fifoConfig]), 'is a FIFO (named pipe), not a regular file');
    expectUsageError(await cli(['calibrate', ...SIR, '--observed', '/dev/null', '--epochs', '1']), 'is a character device');
  }, 20_000);
});
