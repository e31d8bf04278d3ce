import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from './kit.fixture.js';
import { listModels, listPopulations } from './catalog.js';
import { plotRuns } from './plot-runs.js';
import { openRunStore } from './run-store.js';
import { createServerKit, openServerKit } from './server-kit.js';

afterAll(removeTempDirs);

describe('server kit', () => {
  it('createServerKit: runs, plots recorded runs, and close() interrupts what is still running', async () => {
    const db = tempDbPath();
    const kit = createServerKit({ runtime: exampleRuntime(), db, concurrency: 2 });
    const a = kit.executor.submit({ kind: 'run', ...SIR, steps: 20, label: 'fast' });
    const b = kit.executor.submit({ kind: 'run', ...SIR, steps: 20, params: { ...SIR.params, beta: 0.03 }, label: 'slow' });
    await Promise.all([kit.executor.wait(a.id), kit.executor.wait(b.id)]);
    const png = await plotRuns(kit.store, [a.id, b.id], { metrics: ['I'] });
    expect(png.mimeType).toBe('image/png');
    const svg = await plotRuns(kit.store, [a.id, b.id], { format: 'svg', metrics: ['I'] });
    expect(svg.data).toContain('>fast</text>');
    expect(svg.data).toContain('example/network-sir: 2 runs');
    await expect(plotRuns(kit.store, [a.id, 'run-none'])).rejects.toThrow(/unknown run 'run-none'/);
    const long = kit.executor.submit({ kind: 'run', ...SIR, steps: 5000 });
    await new Promise<void>((resolve) => kit.executor.subscribe((e) => e.step === 2 && resolve(), { runId: long.id }));
    await kit.close();
    const store = openRunStore({ path: db });
    expect(store.require(long.id)).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    expect(store.require(a.id).status).toBe('done');
    store.close();
  });

  it('openServerKit loads the plugins the way the CLI does and honours POPULACE_DB', async () => {
    const db = tempDbPath('env.db');
    const cwd = path.dirname(db);
    const kit = await openServerKit({ cwd, env: { POPULACE_DB: db }, limits: { maxAgents: 100 } });
    expect(kit.dbPath).toBe(db);
    expect(listModels(kit.runtime).map((m) => m.id)).toContain('example/network-sir');
    expect(listModels(kit.runtime).find((m) => m.id === 'example/network-sir')).toMatchObject({ learnable: ['beta', 'gamma'], metrics: ['S', 'I', 'R', 'newInfections'] });
    expect(listPopulations(kit.runtime).map((p) => p.id)).toContain('example/random-graph');
    expect(() => kit.executor.submit({ kind: 'run', ...SIR })).toThrow(/maxAgents/);
    await kit.close();
    // a config file's plugins are what it offers (plus the built-in examples)
    writeFileSync(path.join(cwd, 'populace.config.mjs'), "import { examplePlugin } from '@populace/core/examples';\nexport default { plugins: [examplePlugin] };\n");
    await expect(openServerKit({ cwd, db, config: 'missing.config.mjs' })).rejects.toThrow(/does not exist/);
  });
});
