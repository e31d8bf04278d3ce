/**
 * `populace-mcp` over stdio, spawned with the SDK's client: a complete study,
 * list -> run -> metrics -> compare -> plot.
 */
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { call, pngSize, removeTempDirs, stdioClient, tempDir } from './fixtures/mcp/servers.js';

afterAll(removeTempDirs);

const SIR = { model: 'network-sir', population: 'random-graph', agents: 3000, seed: 4, steps: 40 };

it('runs a study over stdio: list, run, metrics, compare, plot (a valid PNG)', async () => {
  const cwd = tempDir();
  const { client, stderr } = await stdioClient(cwd, ['--db', 'study.db', '--max-agents', '100000']);
  try {
    expect(client.getServerVersion()).toMatchObject({ name: 'populace' });
    const { data: models } = await call<{ models: { id: string }[] }>(client, 'list_models');
    expect(models.models.map((m) => m.id)).toEqual(['example/network-sir', 'example/network-seir', 'example/random-walk']);
    const base = (await call<{ run: { id: string; status: string } }>(client, 'run_simulation', { ...SIR, params: { seedFraction: 0.01 }, label: 'baseline' })).data.run;
    const masks = (await call<{ run: { id: string; status: string } }>(client, 'run_simulation', { ...SIR, params: { seedFraction: 0.01, beta: 0.025 }, label: 'masks' })).data.run;
    expect([base.status, masks.status]).toEqual(['done', 'done']);
    const { data: metrics } = await call<{ steps: number[]; series: { I: number[]; newInfections: number[] } }>(client, 'get_metrics', { runId: base.id, metrics: ['I', 'newInfections'] });
    expect(metrics.steps).toHaveLength(40);
    const { data: cmp, text } = await call<{ table: { rows: { label: string; metric: string; total: number; relative: { total: number } | null }[] } }>(client, 'compare_runs', { runIds: [base.id, masks.id], metrics: ['newInfections'] });
    const [b, m] = cmp.table.rows;
    expect(b!.total).toBe(metrics.series.newInfections.reduce((x, y) => x + y, 0));
    expect(m!.label).toBe('masks');
    expect(m!.total).toBeLessThan(b!.total);
    expect(text).toContain('newInfections:');
    const plot = await call<{ width: number; height: number }>(client, 'plot', { runIds: [base.id, masks.id], metrics: ['I'] });
    const image = plot.result.content.find((c) => c.type === 'image') as { data: string };
    expect(pngSize(Buffer.from(image.data, 'base64'))).toEqual({ width: plot.data.width, height: plot.data.height });
  } finally {
    await client.close();
  }
  expect(stderr()).toContain(`populace-mcp: serving over stdio; run store ${path.join(cwd, 'study.db')}`);
});
