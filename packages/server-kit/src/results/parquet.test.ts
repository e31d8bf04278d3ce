import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { AgentSnapshot } from '@populace/core';
import type { RunSnapshot } from '../check-snapshot.js';
import { metricsTable } from './metrics-table.js';
import { metricsParquet, snapshotParquet, sweepParquet } from './parquet.js';
import type { SweepDocument } from './sweep-table.js';

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
const read = async (bytes: Uint8Array) => (await parquetReadObjects({ file: buffer(bytes) })) as Record<string, unknown>[];
/** The physical type of each column, from the file's own metadata. */
const types = (bytes: Uint8Array) => Object.fromEntries(parquetMetadata(buffer(bytes)).schema.slice(1).map((s) => [s.name, s.type]));

// the same values as core's recorder gives them (typed arrays) and as a run record keeps them (arrays, null for NaN)
const core: AgentSnapshot = {
  agentType: 'people',
  agents: 2,
  steps: [1, 3],
  columns: [
    { name: 'status', integer: true, values: [Int32Array.of(1, 2), Int32Array.of(3, 4)] },
    { name: 'load', integer: false, values: [Float32Array.of(0.5, Number.NaN), Float32Array.of(2.5, 3.5)] },
  ],
};
const record: RunSnapshot = { ...core, steps: [1, 3], columns: [{ name: 'status', integer: true, values: [[1, 2], [3, 4]] }, { name: 'load', integer: false, values: [[0.5, null], [2.5, 3.5]] }] };

describe('result tables as Parquet (read back with hyparquet)', () => {
  it('metric series: step from 1, one DOUBLE column per metric, null past a shorter series', async () => {
    const bytes = await metricsParquet(metricsTable({ S: [10, 9.5, 8], I: [1, 2] }));
    expect(types(bytes)).toEqual({ step: 'INT32', S: 'DOUBLE', I: 'DOUBLE' });
    expect(await read(bytes)).toEqual([{ step: 1, S: 10, I: 1 }, { step: 2, S: 9.5, I: 2 }, { step: 3, S: 8, I: null }]);
    // a stored series keeps its own steps
    expect(await read(await metricsParquet({ names: ['x'], steps: [4, 5], series: { x: [0.25, 0.5] } }))).toEqual([{ step: 4, x: 0.25 }, { step: 5, x: 0.5 }]);
    // no steps: the columns without rows
    const empty = await metricsParquet(metricsTable({ x: [] }));
    expect(parquetMetadata(buffer(empty)).num_rows).toBe(0n);
  });

  it("a sweep's bands: one row per point, metric and step, the varied parameters as columns", async () => {
    const band = (m: number[]) => ({ median: m, q25: m.map((v) => v - 1), q75: m.map((v) => v + 1), q025: m.map((v) => v - 2), q975: m.map((v) => v + 2) });
    const doc = { metrics: ['I'], points: [{ name: 'beta=0.1', params: { beta: 0.1 }, bands: { I: band([5, 6]) } }, { name: 'beta=0.2', params: { beta: 0.2 }, bands: { I: { ...band([7, 8]), q025: [null, 6] } } }] } as unknown as SweepDocument;
    const bytes = await sweepParquet(doc);
    expect(types(bytes)).toMatchObject({ point: 'BYTE_ARRAY', beta: 'DOUBLE', metric: 'BYTE_ARRAY', step: 'INT32', median: 'DOUBLE' });
    expect(await read(bytes)).toEqual([
      { point: 'beta=0.1', beta: 0.1, metric: 'I', step: 1, median: 5, q25: 4, q75: 6, q025: 3, q975: 7 },
      { point: 'beta=0.1', beta: 0.1, metric: 'I', step: 2, median: 6, q25: 5, q75: 7, q025: 4, q975: 8 },
      { point: 'beta=0.2', beta: 0.2, metric: 'I', step: 1, median: 7, q25: 6, q75: 8, q025: null, q975: 9 },
      { point: 'beta=0.2', beta: 0.2, metric: 'I', step: 2, median: 8, q25: 7, q75: 9, q025: 6, q975: 10 },
    ]);
  });

  it('a snapshot: one row per agent per step, integer columns as INT32, the same from core and from a run record', async () => {
    for (const s of [core, record]) {
      const bytes = await snapshotParquet(s);
      expect(types(bytes)).toEqual({ step: 'INT32', agent: 'INT32', status: 'INT32', load: 'DOUBLE' });
      const rows = (await read(bytes)) as Record<string, number>[];
      expect(rows.map((r) => [r.step, r.agent, r.status])).toEqual([[1, 0, 1], [1, 1, 2], [3, 0, 3], [3, 1, 4]]);
      expect(rows.map((r) => r.load)).toEqual([0.5, Number.NaN, 2.5, 3.5]);
    }
    // a column with a non-finite value cannot be INT32: it becomes DOUBLE
    const gap: RunSnapshot = { ...record, columns: [{ name: 'status', integer: true, values: [[1, null], [3, 4]] }] };
    const bytes = await snapshotParquet(gap);
    expect(types(bytes).status).toBe('DOUBLE');
    expect(((await read(bytes)) as Record<string, number>[]).map((r) => r.status)).toEqual([1, Number.NaN, 3, 4]);
  });
});
