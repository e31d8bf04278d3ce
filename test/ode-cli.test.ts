/**
 * `populace run ode/seir` next to `populace run epi/seir` (the ODE and agent-based versions of one
 * disease, same parameters), and bad input to the ODE models exiting 2 with a clear reason.
 */
import path from 'node:path';
import { main } from '@populace/cli';
import { describe, expect, it } from 'vitest';

const ODE = path.resolve(import.meta.dirname, '../packages/ode');
const EPI = path.resolve(import.meta.dirname, '../packages/models-epi');

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { cwd: import.meta.dirname, env: { POPULACE_PLUGINS: [ODE, EPI].join(path.delimiter) }, stdout: { write: (s: string) => void (out += s) }, stderr: { write: (s: string) => void (err += s) } });
  return { code, out, err };
}

describe('populace run ode/seir', () => {
  it('runs with the parameters and metrics of epi/seir, and both end near the same attack rate', async () => {
    const args = ['--agents', '5000', '--steps', '200', '--seed', '1', '--param', 'beta=0.3', '--param', 'sigma=0.2', '--param', 'gamma=0.1', '--param', 'seedInfections=20', '--json'];
    const ode = await cli(['run', 'ode/seir', ...args]);
    const abm = await cli(['run', 'epi/seir', ...args]);
    expect(ode.code, ode.err).toBe(0);
    expect(abm.code, abm.err).toBe(0);
    const last = (r: { out: string }, m: string) => (JSON.parse(r.out) as { metrics: Record<string, number[]> }).metrics[m]!.at(-1)!;
    for (const r of [ode, abm]) expect(Object.keys((JSON.parse(r.out) as { metrics: object }).metrics)).toEqual(expect.arrayContaining(['S', 'E', 'I', 'R']));
    // final sizes of R0 = 3 (ODE) and R0 = 0.3 / (1 - exp(-0.1)) = 3.15 (daily draws): both ~94-95%
    expect(last(ode, 'R') / 5000).toBeGreaterThan(0.9);
    expect(Math.abs(last(ode, 'R') - last(abm, 'R')) / 5000).toBeLessThan(0.05);
  }, 120_000);

  it('refuses bad parameters with exit 2 and the reason', async () => {
    const r = await cli(['run', 'ode/sir', '--param', 'gamma=-1', '--steps', '5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/parameter 'gamma'.*within \[0, 50\]/);
  });
});
