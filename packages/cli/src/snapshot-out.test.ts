import { describe, expect, it } from 'vitest';
import type { AgentSnapshot } from '@populace/core';
import type { RunSnapshot } from '@populace/server-kit';
import { snapshotCsv } from './snapshot-out.js';

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
});
