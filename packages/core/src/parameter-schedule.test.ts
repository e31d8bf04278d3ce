import { describe, expect, it } from 'vitest';
import { PopulaceError } from './errors.js';
import { examplePlugin } from './examples/plugin.js';
import { checkSchedule, parseSchedule, runScheduled, scheduleValueAt } from './parameter-schedule.js';
import { createRuntime } from './runtime.js';

const SIR = { model: 'network-sir', population: 'random-graph', agents: 2000, seed: 3, params: { seedFraction: 0.02, beta: 0.3 } } as const;

describe('parameter schedules', () => {
  it('parse value@step lists, and give the value in force at each step', () => {
    const s = parseSchedule('beta', '0.3@0, 0.1@30');
    expect(s).toEqual([{ step: 0, value: 0.3 }, { step: 30, value: 0.1 }]);
    expect([0, 29, 30, 100].map((t) => scheduleValueAt(s, t))).toEqual([0.3, 0.3, 0.1, 0.1]);
  });

  it('refuse what is not a schedule, with the entry and the fix', () => {
    const bad: [unknown, RegExp][] = [
      [[], /non-empty array/],
      [[{ step: 2, value: 1 }], /first change must be at step 0.*beta=0@0,1@2/],
      [[{ step: 0, value: 1 }, { step: 0, value: 2 }], /strictly ascending, received step 0 after step 0/],
      [[{ step: 0, value: 1 }, { step: -1, value: 2 }], /\[1\]\.step: expected a whole number of steps >= 0/],
      [[{ step: 0, value: 1 }, { step: 2.5, value: 2 }], /\[1\]\.step: expected a whole number/],
      [[{ step: 0, value: Number.NaN }], /\[0\]\.value: expected a finite number/],
      [[{ step: 0, value: 1, at: 3 }], /\[0\]: expected \{ step, value \}/],
    ];
    for (const [schedule, message] of bad) expect(() => checkSchedule('beta', schedule)).toThrow(message);
    expect(() => parseSchedule('beta', '0.3@0,0.1')).toThrow(/the part "0.1" is not value@step/);
    expect(() => parseSchedule('beta', '0.3@0@1')).toThrow(PopulaceError);
  });

  it('a change at step 5 leaves steps 1..5 as without it, and beta 0 from there stops new infections', async () => {
    const rt = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
    const plain = rt.createSimulation(SIR);
    const base = (await plain.run({ steps: 12 })).metrics;
    plain.dispose();
    const sim = rt.createSimulation(SIR);
    const progress: number[] = [];
    const result = await runScheduled(sim, { beta: parseSchedule('beta', '0.3@0,0@5') }, { steps: 12, onProgress: (p) => progress.push(p.step) });
    expect(result.steps).toBe(12);
    expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(result.metrics.I!.slice(0, 5)).toEqual(base.I!.slice(0, 5));
    expect(result.metrics.newInfections!.slice(5)).toEqual(Array(7).fill(0));
    expect(base.newInfections!.slice(5).some((v) => v > 0)).toBe(true);
    // the same as setting the parameter by hand between steps
    const manual = rt.createSimulation(SIR);
    await manual.run({ steps: 5 });
    manual.setParams({ beta: 0 });
    await manual.run({ steps: 7 });
    expect(manual.metrics()).toEqual(result.metrics);
    sim.dispose();
    manual.dispose();
  });

  it('checks every value against the bounds before the first step', async () => {
    const rt = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
    const sim = rt.createSimulation(SIR);
    await expect(runScheduled(sim, { beta: parseSchedule('beta', '0.3@0,9@5') }, { steps: 10 })).rejects.toThrow(/parameter 'beta': expected a value within \[0, 5\], received 9/);
    expect(sim.currentStep).toBe(0);
    sim.dispose();
  });
});
