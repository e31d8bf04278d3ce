import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { describe, expect, it } from 'vitest';
import { createInProcessExecutor } from './in-process-executor.js';
import { createMemoryRunStore } from './memory-run-store.js';
import type { RunRecord } from './run-record.js';
import { openRunStore, type NewRun, type RunStore } from './run-store.js';

const NEW: NewRun = { kind: 'run', model: 'example/network-sir', population: 'example/random-graph', agents: 100, steps: 5, seed: 3, params: { beta: 0.05, gamma: 0.1 }, metricNames: ['S', 'I'], progress: { total: 5, unit: 'steps' } };

/** A record without what differs between two stores by design (its id, its clock readings). */
const comparable = (r: RunRecord, ids: ReadonlyMap<string, string>) => ({ ...r, id: ids.get(r.id), parentId: r.parentId === null ? null : ids.get(r.parentId), createdAt: 'T', startedAt: r.startedAt && 'T', finishedAt: r.finishedAt && 'T', wallMs: r.wallMs === null ? null : 'ms' });

/** The same writes on a store; returns what a reader sees afterwards. */
function script(store: RunStore) {
  const ids = new Map<string, string>();
  const add = (name: string, run: NewRun): string => {
    const id = store.insert(run).id;
    ids.set(id, name);
    return id;
  };
  const a = add('a', { ...NEW, label: 'first' });
  const sweep = add('sweep', { ...NEW, kind: 'scenarios', progress: { total: 2, unit: 'runs' } });
  const b = add('b', { ...NEW, parentId: sweep, seed: 4 });
  const c = add('c', { ...NEW, parentId: sweep, seed: 5, status: 'running' });
  store.markStarted(a);
  store.setBackend(a, 'cpu', 99);
  store.recordStep(a, 1, [1, 2]);
  store.recordStep(a, 2, [3, Number.POSITIVE_INFINITY]);
  store.recordStep(a, 3, [5, 6]);
  store.requestCancel(b);
  const cancelSeen = store.recordStep(b, 1, [7, 8]);
  store.setProgress(c, 1);
  store.replaceSeries(c, { S: [9, 10], I: [11] });
  store.finish(a, { status: 'done', result: null });
  store.finish(b, { status: 'cancelled', error: { code: 'cancelled', message: 'stopped' } });
  store.finish(a, { status: 'failed' }); // an ended job stays ended
  const list = (filter: Parameters<RunStore['list']>[0]) => {
    const { runs, total } = store.list(filter);
    return { names: runs.map((r) => ids.get(r.id)), total };
  };
  const out = {
    cancelSeen,
    records: [...ids.keys()].map((id) => comparable(store.require(id), ids)),
    all: list({}),
    children: list({ parentId: sweep }),
    topLevel: list({ parentId: null }),
    byStatus: list({ status: ['done', 'cancelled'] }),
    byKind: list({ kind: 'scenarios' }),
    paged: list({ limit: 2, offset: 1 }),
    seriesA: store.series(a),
    rangeA: store.series(a, { from: 2, to: 3 }),
    seriesC: store.series(c),
    badLimit: (() => {
      try {
        store.list({ limit: 0 });
      } catch (e) {
        return (e as Error).message;
      }
    })(),
    unknown: (() => {
      try {
        store.require('run-000000000000');
      } catch (e) {
        return (e as { code: string }).code;
      }
    })(),
  };
  store.close();
  return out;
}

describe('createMemoryRunStore', () => {
  it('answers every read as the SQLite store does after the same writes', () => {
    const memory = script(createMemoryRunStore());
    expect(memory).toEqual(script(openRunStore({ path: ':memory:' })));
    // and the answers are not vacuous
    expect(memory.seriesA.series.I).toEqual([2, Number.NaN, 6]);
    expect(memory.children.names).toEqual(['c', 'b']);
    expect(memory.cancelSeen).toBe(true);
  });

  it('runs an executor job with nothing written, and refuses reads once closed', async () => {
    const store = createMemoryRunStore();
    const executor = createInProcessExecutor({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), store, concurrency: 1 });
    const run = executor.submit({ kind: 'run', model: 'network-sir', population: 'random-graph', agents: 300, steps: 4, seed: 2, params: { beta: 0.3 } });
    const done = await executor.wait(run.id);
    expect(done).toMatchObject({ status: 'done', stepsRecorded: 4, backend: 'cpu', agents: 300 });
    const series = store.series(run.id).series;
    expect(series.S!.map((s, i) => s + series.I![i]! + series.R![i]!)).toEqual([300, 300, 300, 300]);
    await executor.close();
    store.close();
    expect(() => store.list()).toThrow(expect.objectContaining({ code: 'disposed' }));
  });
});
