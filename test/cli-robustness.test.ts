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
