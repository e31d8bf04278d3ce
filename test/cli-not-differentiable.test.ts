/**
 * `populace sensitivity` / `populace calibrate` on a model that is not differentiable: one line
 * naming the metric and substep without a gradient and why, exit 2 (not "internal error", exit 1).
 * toy/sir comes from examples/sir-toy, found through its package.json `populace.plugin` from the
 * repository root. Needs the builds of core and cli.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SensitivityDocument } from '@populace/cli';
import { expectUsageError, runCli, spawnCli } from './fixtures/cli/harness.js';
import { removeTempDirs, tempProject } from './fixtures/cli/projects.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
afterAll(removeTempDirs);

const METRIC_S = "metric 'S' of toy/sir counts int32 state 'agents/people/status' with countWhere (comparisons have no gradient): report a float32 0/1 indicator with sumOf or countWhere(path, 1), or choose another output";
const SUBSTEP = "substep 'day' of toy/sir runs Equal, Less, LogicalAnd on values that depend on beta, gamma (comparisons and boolean logic are piecewise constant and have no gradient; it compares 'agents/people/status', which is not float32";

describe('gradient methods on a model without a gradient', () => {
  it('populace sensitivity toy/sir exits 2 with one line naming the metric and the substep (real bin)', async () => {
    const r = await spawnCli(['sensitivity', 'toy/sir', '--steps', '20'], ROOT);
    expectUsageError(r, 'populace: sensitivity: S:sum of toy/sir has no gradient with respect to beta, gamma: ', METRIC_S, SUBSTEP, 'ctx.sample.bernoulli');
    expect(r.stderr).not.toContain('internal error');
  });

  it('an output read from float state still names the substep that breaks it', async () => {
    const r = await runCli(['sensitivity', 'toy/sir', '--steps', '20', '--output', 'newInfections:sum', '--agents', '2000'], { cwd: ROOT });
    expectUsageError(r, 'sensitivity: newInfections:sum of toy/sir has no gradient with respect to beta, gamma: ', SUBSTEP);
    expect(r.stderr).not.toContain("metric 'S'");
  });

  it('populace calibrate toy/sir exits 2 naming the observed metric', async () => {
    const dir = await tempProject({ 'obs.csv': 'step,I\n1,12\n2,15\n3,19\n' });
    const r = await runCli(['calibrate', 'toy/sir', '--observed', `${dir}/obs.csv`, '--agents', '2000', '--epochs', '2'], { cwd: ROOT });
    expectUsageError(r, "calibrate: I of toy/sir has no gradient with respect to beta, gamma: metric 'I' of toy/sir counts int32 state 'agents/people/status' with countWhere", "substep 'day' of toy/sir");
  });

  it('a differentiable model still gives its sensitivities', async () => {
    const r = await runCli(['sensitivity', 'example/network-sir', '--population', 'example/random-graph', '--agents', '1000', '--steps', '8', '--param', 'seedFraction=0.02', '--output', 'I:sum', '--json'], { cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as SensitivityDocument;
    expect(doc.entries.map((e) => e.param).sort()).toEqual(['beta', 'gamma']);
    for (const e of doc.entries) expect(Number.isFinite(e.gradient) && e.gradient !== 0).toBe(true);
  });
});
