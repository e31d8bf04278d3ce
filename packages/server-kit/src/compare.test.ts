import { afterAll, describe, expect, it } from 'vitest';
import { compareRuns, comparisonTable, formatComparison, summarizeSeries } from './compare.js';
import { removeTempDirs, tempDbPath } from './kit.fixture.js';
import { openRunStore, type NewRun } from './run-store.js';

afterAll(removeTempDirs);

describe('summarizeSeries', () => {
  it('final, peak, the first step of the peak, total; non-finite values skipped', () => {
    expect(summarizeSeries([1, 5, 2, 5])).toEqual({ final: 5, peak: 5, peakStep: 2, total: 13 });
    expect(summarizeSeries([3, Number.NaN, 4])).toEqual({ final: 4, peak: 4, peakStep: 3, total: 7 });
    expect(summarizeSeries([-2, -1])).toEqual({ final: -1, peak: -1, peakStep: 2, total: -3 });
    const empty = summarizeSeries([]);
    expect([empty.final, empty.peak, empty.total].every(Number.isNaN)).toBe(true);
  });
});

describe('comparisonTable', () => {
  it('differences and relative differences to the first entry; several series are averaged', () => {
    const table = comparisonTable(
      [
        { label: 'base', runIds: ['a'], series: [{ I: [1, 4, 2] }] },
        { label: 'half', runIds: ['b', 'c'], series: [{ I: [1, 2, 1] }, { I: [1, 2, 3] }] },
      ],
      ['I'],
    );
    expect(table.baseline).toBe('base');
    expect(table.rows[0]).toMatchObject({ label: 'base', final: 2, peak: 4, peakStep: 2, total: 7, delta: null, relative: null });
    // 'half': finals 1 and 3 -> 2; peaks 2 and 3 -> 2.5; peak steps 2 and 3 -> 2.5; totals 4 and 6 -> 5
    expect(table.rows[1]).toMatchObject({ label: 'half', runIds: ['b', 'c'], final: 2, peak: 2.5, peakStep: 2.5, total: 5, delta: { final: 0, peak: -1.5, peakStep: 0.5, total: -2 }, relative: { final: 0, peak: -0.375, total: -2 / 7 } });
    const zero = comparisonTable([{ label: 'z', runIds: ['z'], series: [{ x: [0, 0] }] }, { label: 'o', runIds: ['o'], series: [{ x: [0, 1] }] }], ['x']);
    expect(zero.rows[1]!.relative).toEqual({ final: null, peak: null, total: null });
    expect(formatComparison(table)).toMatch(/I:\nRUN\s+FINAL\s+PEAK\s+PEAK STEP\s+TOTAL.*\nbase .*\nhalf\s+2\s+2.5\s+2.5\s+5\s+\+0.0%\s+-37.5%\s+-28.6%/);
  });
});

describe('compareRuns', () => {
  const NEW: NewRun = { kind: 'run', model: 'm', population: null, agents: 1, steps: 3, seed: 0, params: {}, metricNames: ['S', 'I'], progress: { total: 3, unit: 'steps' } };

  it('compares stored runs over their common metrics and refuses what cannot be compared', () => {
    const store = openRunStore({ path: tempDbPath() });
    const a = store.insert({ ...NEW, label: 'baseline' });
    const b = store.insert(NEW);
    const c = store.insert({ ...NEW, metricNames: ['X'] });
    const empty = store.insert(NEW);
    [[10, 1], [9, 3], [8, 2]].forEach((v, i) => store.recordStep(a.id, i + 1, v));
    [[10, 1], [10, 1], [10, 2]].forEach((v, i) => store.recordStep(b.id, i + 1, v));
    store.recordStep(c.id, 1, [1]);
    const table = compareRuns(store, [a.id, b.id], { metrics: ['I'] });
    expect(table).toMatchObject({ baseline: 'baseline', metrics: ['I'] });
    expect(table.rows.map((r) => [r.label, r.peak, r.peakStep, r.total])).toEqual([['baseline', 3, 2, 6], [b.id, 2, 3, 4]]);
    expect(compareRuns(store, [a.id, b.id]).metrics).toEqual(['S', 'I']);
    expect(() => compareRuns(store, [a.id, c.id])).toThrow(/share no metric/);
    expect(() => compareRuns(store, [a.id, b.id], { metrics: ['R'] })).toThrow(/metric "R" is not a metric of every run; expected one of \[S, I\]/);
    expect(() => compareRuns(store, [a.id, empty.id])).toThrow(new RegExp(`run '${empty.id}' has no recorded metrics yet \\(status queued\\)`));
    expect(() => compareRuns(store, [a.id, a.id])).toThrow(/duplicates/);
    expect(() => compareRuns(store, [])).toThrow(/non-empty array of run ids/);
    expect(() => compareRuns(store, [a.id, 'run-nope'])).toThrow(/unknown run 'run-nope'/);
    store.close();
  });
});
