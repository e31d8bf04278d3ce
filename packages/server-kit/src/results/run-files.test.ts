import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRuntime, removeTempDirs, SIR, tempDbPath } from '../kit.fixture.js';
import { createServerKit } from '../server-kit.js';
import { runFile, runFileNames } from './run-files.js';

afterAll(removeTempDirs);

describe('runFile', () => {
  it('gives the files a run has, says why one is missing, and refuses a table over maxFileCells', async () => {
    // 10 steps x (4 metrics + step) = 50 values: under a limit of 50, over one of 49
    const kit = createServerKit({ runtime: exampleRuntime(), db: tempDbPath(), limits: { maxFileCells: 50 } });
    try {
      const run = await kit.executor.wait(kit.executor.submit({ kind: 'run', ...SIR, agents: 300, steps: 10 }).id);
      expect(runFileNames(run)).toEqual(['metrics.csv', 'metrics.parquet']);
      const csv = await runFile(kit.store, kit.executor.limits, run.id, 'metrics.csv');
      expect(csv).toMatchObject({ mimeType: 'text/csv', cells: 50 });
      const parquet = await runFile(kit.store, kit.executor.limits, run.id, 'metrics.parquet');
      const bytes = parquet.body as Uint8Array;
      const rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })) as Record<string, number>[];
      // the CSV and the Parquet file hold the same table
      expect(rows.map((r) => [r.step, r.S, r.I, r.R, r.newInfections].join(','))).toEqual((csv.body as string).trim().split('\n').slice(1));

      await expect(runFile(kit.store, kit.executor.limits, run.id, 'snapshot.parquet')).rejects.toThrow(`run '${run.id}' has no per-agent snapshot: it was started without a snapshot request ({ states, steps }). Its files: metrics.csv, metrics.parquet.`);
      await expect(runFile(kit.store, kit.executor.limits, run.id, 'bands.parquet')).rejects.toThrow(`run '${run.id}' has no bands: it is a run job; bands are a sweep's (sweep, run_scenarios).`);
      await expect(runFile(kit.store, kit.executor.limits, run.id, 'results.xlsx' as never)).rejects.toThrow('run files: expected one of metrics.csv, metrics.parquet, snapshot.parquet, bands.parquet, received "results.xlsx".');
      await expect(runFile(kit.store, kit.executor.limits, 'run-nothere', 'metrics.csv')).rejects.toMatchObject({ code: 'unknown-id' });
      const over = await runFile(kit.store, { ...kit.executor.limits, maxFileCells: 49 }, run.id, 'metrics.parquet').catch((e: unknown) => e);
      expect(over).toMatchObject({ code: 'limit-exceeded', details: { limit: 'maxFileCells', max: 49, received: 50 } });
      expect((over as Error).message).toBe(`values in metrics.parquet of run '${run.id}' (10 steps x 5 columns) is 50, over this server's limit of 49 (maxFileCells). Read the series with fewer points instead (the metrics tool or field with maxPoints). The operator can raise it with --max-file-cells.`);

      // a run that keeps a snapshot has its file; one cancelled before the snapshot was kept says so
      const snap = { states: ['infected'], steps: [5] };
      const kept = await kit.executor.wait(kit.executor.submit({ kind: 'run', ...SIR, agents: 300, steps: 10, snapshot: snap }).id);
      expect(runFileNames(kept)).toEqual(['metrics.csv', 'metrics.parquet', 'snapshot.parquet']);
      const doomed = kit.executor.submit({ kind: 'run', ...SIR, agents: 300, steps: 10, snapshot: snap });
      await kit.executor.cancel(doomed.id);
      const cancelled = await kit.executor.wait(doomed.id);
      expect(cancelled.status).toBe('cancelled');
      await expect(runFile(kit.store, kit.executor.limits, doomed.id, 'snapshot.parquet')).rejects.toThrow(`run '${doomed.id}' has no per-agent snapshot: it ended cancelled before its snapshot was kept.`);
    } finally {
      await kit.close();
    }
  });
});
