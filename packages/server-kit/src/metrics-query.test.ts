import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDbPath } from './kit.fixture.js';
import { getMetrics, metricsCsv } from './metrics-query.js';
import { openRunStore } from './run-store.js';

afterAll(removeTempDirs);

function storeWithRun(steps: number) {
  const store = openRunStore({ path: tempDbPath() });
  const { id } = store.insert({ kind: 'run', model: 'm', population: null, agents: 1, steps, seed: 0, params: {}, metricNames: ['up', 'sq'], progress: { total: steps, unit: 'steps' } });
  for (let s = 1; s <= steps; s++) store.recordStep(id, s, [s, s * s]);
  return { store, id };
}

describe('getMetrics', () => {
  it('returns every step of the chosen metrics in a range', () => {
    const { store, id } = storeWithRun(10);
    expect(getMetrics(store, id)).toMatchObject({ runId: id, status: 'queued', names: ['up', 'sq'], steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], stepsRecorded: 10, downsampled: null });
    const slice = getMetrics(store, id, { names: ['sq'], from: 3, to: 5 });
    expect(slice).toMatchObject({ names: ['sq'], steps: [3, 4, 5], series: { sq: [9, 16, 25] } });
    expect(metricsCsv(slice)).toBe('step,sq\n3,9\n4,16\n5,25\n');
    store.close();
  });

  it("downsamples: 'sample' keeps evenly spaced steps with the first and last; 'mean' averages buckets", () => {
    const { store, id } = storeWithRun(100);
    const sampled = getMetrics(store, id, { maxPoints: 5 });
    expect(sampled.steps).toEqual([1, 26, 51, 75, 100]);
    expect(sampled.series.sq).toEqual([1, 26 * 26, 51 * 51, 75 * 75, 100 * 100]);
    expect(sampled.downsampled).toEqual({ method: 'sample', maxPoints: 5, pointsBefore: 100 });
    const mean = getMetrics(store, id, { maxPoints: 4, method: 'mean', names: ['up'] });
    // buckets 1-25, 26-50, 51-75, 76-100: means 13, 38, 63, 88
    expect(mean.steps).toEqual([25, 50, 75, 100]);
    expect(mean.series.up).toEqual([13, 38, 63, 88]);
    expect(getMetrics(store, id, { maxPoints: 500 }).downsampled).toBeNull();
    store.close();
  });

  it('refuses unknown metrics (with a suggestion), bad ranges and bad options', () => {
    const { store, id } = storeWithRun(3);
    expect(() => getMetrics(store, id, { names: ['upp'] })).toThrow(/has no metric "upp". Did you mean 'up'\? Its metrics: up, sq/);
    expect(() => getMetrics(store, id, { names: [] })).toThrow(/non-empty array of metric names from \[up, sq\]/);
    expect(() => getMetrics(store, id, { from: 0 })).toThrow(/from expected a step number/);
    expect(() => getMetrics(store, id, { from: 3, to: 2 })).toThrow(/from \(3\) is after to \(2\)/);
    expect(() => getMetrics(store, id, { maxPoints: 1 })).toThrow(/maxPoints expected an integer of at least 2/);
    expect(() => getMetrics(store, id, { method: 'median' as never })).toThrow(/method expected one of sample, mean/);
    expect(() => getMetrics(store, 'run-x')).toThrow(/unknown run 'run-x'/);
    store.close();
  });
});
