/**
 * Calibrating a WITHIN-HOST parameter of `ode/flu-network` from population-level daily cases:
 * the gradient crosses both scales (the Bernoulli infections between hosts, by the stochastic
 * derivative, and each host's viral ODE, carried along its replays as continuous state).
 * Synthetic data from the model itself at a known value; the fit starts from a wrong one.
 */
import { calibrate, createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { describe, expect, it } from 'vitest';
import ode from './index.js';

describe('ode/flu-network: a within-host parameter from daily cases', () => {
  it('calibrate with the stochastic derivative recovers the infected-cell death rate (viralDelta 4 from a start at 6)', async () => {
    const runtime = createRuntime({ plugins: [examplePlugin, ode] });
    const base = { model: 'ode/flu-network', population: 'example/random-graph', agents: 1000, seed: 3 } as const;
    const fixed = { beta: 0.06, seedFraction: 0.01 };
    const steps = 35;
    const truth = runtime.createSimulation({ ...base, params: { ...fixed, viralDelta: 4 } });
    const cases = (await truth.run({ steps })).metrics.newInfections!;
    truth.dispose();
    expect(cases.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);

    const sim = runtime.createSimulation({ ...base, params: { ...fixed, viralDelta: 6 } });
    const fit = await calibrate(sim, { params: ['viralDelta'], observed: { newInfections: cases }, estimator: 'stochastic-derivative', epochs: 12, learningRate: 0.1, patience: 12 });
    expect(fit.estimator).toBe('stochastic-derivative');
    expect(fit.history.every(Number.isFinite)).toBe(true);
    expect(fit.params.viralDelta as number).toBeGreaterThan(3.4);
    expect(fit.params.viralDelta as number).toBeLessThan(4.6);
    expect(fit.loss).toBeLessThan(fit.history[0]! / 4);
    sim.dispose();
  }, 600_000);
});
