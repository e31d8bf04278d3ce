import { describe, expect, it } from 'vitest';
import { cullingSeries } from './culling.js';
import { h5n1Sim } from './runtime.fixture.js';

describe('cullingSeries', () => {
  it('returns the culling series of a simulation or of its metrics, with the start day', async () => {
    const sim = h5n1Sim({ farms: 100, seed: 2, params: { seedFarms: 10, wildBirdRate: 0, farmToFarmRate: 0, startDay: 40 } });
    const { metrics } = await sim.run({ steps: 10 });
    const series = cullingSeries(sim);
    expect(series.birdsCulled).toEqual(metrics.birdsCulled);
    expect(series.culledFarms[6]).toBe(10);
    expect(series.cumulativeBirdsCulled.at(-1)).toBeGreaterThan(0);
    expect(series.layersInProduction).toEqual(metrics.layersInProduction);
    expect(series.startDay).toBe(40);
    expect(cullingSeries(metrics)).toEqual({ ...series, startDay: undefined });
    expect(Object.isFrozen(series.birdsCulled)).toBe(true);
    sim.dispose();
  });

  it('rejects what is not epi/h5n1 output, saying what it expected', () => {
    expect(() => cullingSeries({ S: [1], I: [0] })).toThrow(/expected the metrics of epi\/h5n1, which include 'birdsCulled'; received metrics \[S, I\]/);
    expect(() => cullingSeries(null as never)).toThrow(/expected an epi\/h5n1 simulation or its metrics/);
    const ok = { birdsCulled: [0, 5], cumulativeBirdsCulled: [0, 5], culledFarms: [0, 1], layersInProduction: [10, 5] };
    expect(() => cullingSeries({ ...ok, birdsCulled: [0, -1] })).toThrow(/'birdsCulled'\[1\] expected a non-negative finite number, received -1/);
    expect(() => cullingSeries({ ...ok, culledFarms: [0] })).toThrow(/'culledFarms' has 1 values and 'birdsCulled' 2/);
    expect(cullingSeries(ok).birdsCulled).toEqual([0, 5]);
  });
});
