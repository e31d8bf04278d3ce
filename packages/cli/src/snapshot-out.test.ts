import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { AgentSnapshot } from '@populace/core';
import type { RunSnapshot } from '@populace/server-kit';
import { snapshotCsv, snapshotParquet } from './snapshot-out.js';

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

describe('snapshot files', () => {
  it('CSV: a header, then one line per agent per step (an empty cell where a value is not finite)', () => {
    const text = 'step,agent,status,load\n1,0,1,0.5\n1,1,2,\n3,0,3,2.5\n3,1,4,3.5\n';
    expect(snapshotCsv(core)).toBe(text);
    expect(snapshotCsv(record)).toBe(text);
  });

  it('Parquet: the same table, integer columns as INT32 (read back with hyparquet)', async () => {
    for (const s of [core, record]) {
      const bytes = await snapshotParquet(s);
      const rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })) as Record<string, number>[];
      expect(rows.map((r) => [r.step, r.agent, r.status])).toEqual([[1, 0, 1], [1, 1, 2], [3, 0, 3], [3, 1, 4]]);
      expect(rows.map((r) => r.load)).toEqual([0.5, Number.NaN, 2.5, 3.5]);
    }
    // a column with a non-finite value cannot be INT32: it becomes DOUBLE
    const gap: RunSnapshot = { ...record, columns: [{ name: 'status', integer: true, values: [[1, null], [3, 4]] }] };
    const rows = (await parquetReadObjects({ file: (await snapshotParquet(gap)).buffer as ArrayBuffer })) as Record<string, number>[];
    expect(rows.map((r) => r.status)).toEqual([1, Number.NaN, 3, 4]);
  });
});
