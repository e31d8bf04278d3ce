import { PopulaceError, type Runtime } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { checkJob } from './check-job.js';
import type { JobRequest } from './job-request.js';
import { SIR, exampleRuntime } from './kit.fixture.js';
import { resolveLimits } from './limits.js';

const runtime = exampleRuntime();
const limits = resolveLimits({ maxAgents: 50_000, maxSteps: 1000, maxEpochs: 200, maxGradientAgentSteps: 1_000_000, maxScenarioRuns: 6 });

/** The PopulaceError a request throws. */
function failure(request: unknown): PopulaceError {
  try {
    checkJob(runtime, request as JobRequest, limits);
  } catch (error) {
    if (PopulaceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(request)} to be refused`);
}

describe('checkJob', () => {
  it('resolves ids, the effective agent count and every parameter', () => {
    const job = checkJob(runtime, { kind: 'run', ...SIR, steps: 12 }, limits);
    expect(job).toMatchObject({ kind: 'run', steps: 12, sim: { model: 'example/network-sir', population: 'example/random-graph', agents: 2000, requestedAgents: 2000, seed: 1, overrides: { beta: 0.08, seedFraction: 0.01 }, params: { beta: 0.08, gamma: 0.1, seedFraction: 0.01 }, metricNames: ['S', 'I', 'R', 'newInfections'] } });
    expect(checkJob(runtime, { kind: 'run', model: 'random-walk' }, limits)).toMatchObject({ steps: 30, sim: { agents: 10_000, requestedAgents: null, population: null, seed: 0 } });
  });

  it('parameter names found only on the prototype are refused, with the valid names (params, fit, wrt, scenarios)', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      const params = JSON.parse(`{${JSON.stringify(name)}: 1}`) as Record<string, unknown>;
      const run = failure({ kind: 'run', ...SIR, params });
      expect(run.code).toBe('unknown-param');
      expect(run.message).toContain(`has no parameter '${name}'`);
      expect(run.message).toContain('beta, gamma, seedFraction');
      expect(failure({ kind: 'sensitivity', ...SIR, output: 'I', wrt: [name] }).code).toBe('unknown-param');
      expect(failure({ kind: 'calibrate', ...SIR, observed: { newInfections: [1, 2] }, fit: [name] }).code).toBe('unknown-param');
      expect(failure({ kind: 'scenarios', ...SIR, scenarios: [{ params }] }).code).toBe('unknown-param');
    }
  });

  it('unknown ids list the valid ones, with a suggestion', () => {
    const m = failure({ kind: 'run', model: 'network-sri' });
    expect(m.code).toBe('unknown-id');
    expect(m.message).toContain("Did you mean 'example/network-sir'?");
    expect(m.message).toContain('example/random-walk');
    const p = failure({ kind: 'run', model: 'network-sir', population: 'random-grph' });
    expect(p.message).toMatch(/unknown population 'random-grph'. Did you mean 'example\/random-graph'\?/);
    expect(failure({ kind: 'run', model: 42 }).message).toContain('model: expected a model id, one of example/network-sir');
    expect(failure({ kind: 'walk', model: 'network-sir' }).message).toContain('kind: expected one of run, calibrate, sensitivity, scenarios');
    expect(failure(null).message).toContain('request: expected an object');
  });

  it('parameters: out of bounds gives the bounds, unknown names a suggestion, wrong types the expectation', () => {
    const b = failure({ kind: 'run', ...SIR, params: { beta: 7 } });
    expect(b.code).toBe('param-out-of-bounds');
    expect(b.message).toContain('[0, 5]');
    expect(b.details).toMatchObject({ param: 'beta', bounds: [0, 5] });
    expect(failure({ kind: 'run', ...SIR, params: { betta: 0.1 } }).message).toContain("Did you mean 'beta'?");
    expect(failure({ kind: 'run', ...SIR, params: { beta: '0.1' } }).code).toBe('invalid-param');
    expect(failure({ kind: 'run', ...SIR, params: [1] }).message).toContain('params: expected an object');
  });

  it('steps, agents and seeds must be integers in range; sizes over the limits are limit-exceeded', () => {
    expect(failure({ kind: 'run', ...SIR, steps: -3 }).message).toContain('steps: expected an integer of at least 1, received -3');
    expect(failure({ kind: 'run', ...SIR, steps: 2.5 }).code).toBe('invalid-argument');
    expect(failure({ kind: 'run', ...SIR, steps: '10' }).message).toContain('received "10"');
    expect(failure({ kind: 'run', ...SIR, agents: 0 }).message).toContain('agents: expected an integer of at least 1');
    expect(failure({ kind: 'run', ...SIR, seed: -1 }).message).toContain('seed: expected an integer in [0, 4294967295]');
    const huge = failure({ kind: 'run', ...SIR, agents: 1e12 });
    expect(huge.code).toBe('limit-exceeded');
    expect(huge.message).toContain("over this server's limit of 50,000 (maxAgents)");
    expect(huge.message).toContain('--max-agents');
    expect(huge.details).toMatchObject({ limit: 'maxAgents', max: 50_000, received: 1e12 });
    // the population's default (100,000) counts when no agents are given
    expect(failure({ kind: 'run', model: 'network-sir', population: 'random-graph' }).message).toContain("agents (the default of population 'example/random-graph') is 100,000");
    expect(failure({ kind: 'run', ...SIR, steps: 5000 }).details).toMatchObject({ limit: 'maxSteps' });
  });

  it('calibrate: observed series are checked for shape and values', () => {
    const base = { kind: 'calibrate', ...SIR };
    expect(failure({ ...base, observed: [1, 2] }).message).toContain('observed expected an object { <metric>: [values per step] }');
    expect(failure({ ...base, observed: {} }).code).toBe('invalid-argument');
    expect(failure({ ...base, observed: { deaths: [1] } }).message).toContain("observed metric 'deaths' is not a metric of the model; expected one of [S, I, R, newInfections]");
    expect(failure({ ...base, observed: { I: [] } }).message).toContain('expected a non-empty array');
    expect(failure({ ...base, observed: { I: [1, 'two', 3] } }).message).toContain("observed 'I'[1] expected a finite number or null");
    expect(failure({ ...base, observed: { I: [null, null] } }).message).toContain('has no observed value');
    expect(failure({ ...base, loss: 'poisson', observed: { I: [1, -2] } }).message).toContain('needs non-negative counts');
    expect(failure({ ...base, loss: 'l1', observed: { I: [1] } }).message).toContain('loss: expected one of mse, poisson, negative-binomial');
    expect(failure({ ...base, observed: { I: [1, 2] }, fit: ['seedFraction'] }).code).toBe('invalid-param');
    expect(failure({ ...base, observed: { I: [1, 2] }, fit: ['bta'] }).message).toContain("Did you mean 'beta'?");
    expect(failure({ ...base, observed: { I: [1, 2] }, epochs: 0 }).message).toContain('epochs: expected an integer of at least 1');
    expect(failure({ ...base, observed: { I: [1, 2] }, epochs: 500 }).details).toMatchObject({ limit: 'maxEpochs' });
    expect(failure({ ...base, observed: { I: [1, 2] }, learningRate: -1 }).message).toContain('learningRate: expected a positive number');
    expect(failure({ ...base, agents: 40_000, observed: { I: Array(100).fill(1) } }).details).toMatchObject({ limit: 'maxGradientAgentSteps' });
    const ok = checkJob(runtime, { kind: 'calibrate', ...SIR, observed: { I: [1, null, 3] } }, limits);
    expect(ok).toMatchObject({ kind: 'calibrate', steps: 3, fit: ['beta', 'gamma'], loss: 'mse', epochs: 100, observed: { I: [1, null, 3] } });
  });

  it('sensitivity: the output must name a metric and an aggregate', () => {
    const base = { kind: 'sensitivity', ...SIR, steps: 10 };
    expect(failure({ ...base, output: 'deaths' }).message).toContain("'metric:agg' with a metric of [S, I, R, newInfections]");
    expect(failure({ ...base, output: 'I:median' }).message).toContain('aggregate expected one of sum, mean, max, min, last');
    expect(failure({ ...base }).message).toContain('output: expected');
    expect(checkJob(runtime, { kind: 'sensitivity', ...SIR, output: 'I:max', wrt: ['beta'] }, limits)).toMatchObject({ output: { metric: 'I', agg: 'max' }, wrt: ['beta'] });
  });

  it("sensitivity: allocation is uniform or adaptive (adaptive with 2+ replicates), and the stochastic derivative's work is bounded before it starts", () => {
    const base = { kind: 'sensitivity', ...SIR, steps: 10, output: 'newInfections', wrt: ['beta'] } as const;
    expect(failure({ ...base, allocation: 'neyman' }).message).toContain('allocation: expected uniform or adaptive, received "neyman"');
    expect(failure({ ...base, allocation: 'adaptive', replicates: 1 }).message).toContain("replicates: expected at least 2 with allocation 'adaptive'");
    expect(checkJob(runtime, { ...base, allocation: 'adaptive' }, limits)).toMatchObject({ allocation: 'adaptive' });
    expect(checkJob(runtime, base, limits)).not.toHaveProperty('allocation');
    // 2,000 agents x (10 primal + 2 x 10 replays + 2 replicates x 10 x 11 alternative steps = 250) = 500,000
    const tight = resolveLimits({ ...limits, maxStochasticAgentSteps: 499_999 });
    expect(() => checkJob(runtime, base, tight)).toThrow(/agents x model steps of the stochastic derivative \(2000 x 250: 2 replicates over 10 steps, 1 parameter entries\) is 500,000, over this server's limit of 499,999 \(maxStochasticAgentSteps\)\. Use fewer replicates, steps or agents, or estimator straight-through\. The operator can raise it with --max-stochastic-agent-steps\./);
    expect(checkJob(runtime, base, resolveLimits({ ...limits, maxStochasticAgentSteps: 500_000 }))).toMatchObject({ kind: 'sensitivity' });
    // the straight-through pass does not count, asked for or chosen by auto (no contact network)
    expect(checkJob(runtime, { ...base, estimator: 'straight-through', replicates: 1000 }, tight)).toMatchObject({ estimator: 'straight-through' });
    expect(checkJob(runtime, { kind: 'sensitivity', model: 'random-walk', agents: 2000, steps: 10, output: 'meanAbsX', replicates: 1000 }, tight)).toMatchObject({ estimator: 'auto' });
    expect(() => checkJob(runtime, { ...base, replicates: 1000 }, limits)).not.toThrow();
    expect(() => checkJob(runtime, { ...base, replicates: 1000, steps: 100 }, limits)).toThrow(/maxStochasticAgentSteps/);
  });

  it('scenarios: names, parameters and seeds are checked, each scenario named in errors', () => {
    const base = { kind: 'scenarios', ...SIR };
    expect(failure({ ...base, scenarios: [] }).message).toContain('scenarios: expected a non-empty array');
    expect(failure({ ...base, scenarios: [{ name: 'a', params: {} }, { name: 'a', params: {} }] }).message).toContain('a name not used by another scenario');
    const bad = failure({ ...base, scenarios: [{ name: 'a', params: {} }, { name: 'lockdown', params: { beta: -1 } }] });
    expect(bad.code).toBe('param-out-of-bounds');
    expect(bad.message).toMatch(/^scenarios\[1\] 'lockdown': .*\[0, 5\]/);
    expect(failure({ ...base, scenarios: [{ params: {} }], seeds: [1, 1] }).message).toContain('distinct seeds');
    expect(failure({ ...base, scenarios: [{ params: {} }, { params: {} }], seeds: [1, 2, 3, 4] }).details).toMatchObject({ limit: 'maxScenarioRuns' });
    const ok = checkJob(runtime, { kind: 'scenarios', ...SIR, scenarios: [{ params: {} }, { name: 'slow', params: { beta: 0.02 } }] }, limits);
    expect(ok).toMatchObject({ kind: 'scenarios', seeds: [1], scenarios: [{ name: 'scenario-1', overrides: {} }, { name: 'slow', overrides: { beta: 0.02 }, params: { beta: 0.02, gamma: 0.1, seedFraction: 0.01 } }] });
  });

  it('builds no simulation: a runtime that refuses to create one checks the same jobs, single and composed', () => {
    const refuse = (): never => {
      throw new Error('checkJob created a simulation');
    };
    const noSimulations: Runtime = { ...runtime, createSimulation: refuse, compose: (o) => ({ ...runtime.compose(o), createSimulation: refuse }) };
    const schedules = { beta: [{ step: 0, value: 0.3 }, { step: 4, value: 0 }] };
    const composed = { model: 'example/network-sir+example/random-walk', populations: { 'example/network-sir': 'random-graph' }, memberAgents: { 'example/network-sir': 500, 'example/random-walk': 100 }, params: { 'network-sir.beta': 0.2 } };
    const requests: JobRequest[] = [
      { kind: 'run', ...SIR, steps: 12, schedules },
      { kind: 'scenarios', ...SIR, steps: 5, scenarios: [{ name: 'a', params: { gamma: 0.2 } }] },
      { kind: 'run', ...composed, steps: 5 },
    ];
    for (const request of requests) expect(checkJob(noSimulations, request, limits)).toEqual(checkJob(runtime, request, limits));
    expect(checkJob(noSimulations, { kind: 'run', ...composed, steps: 5 }, limits).sim.params).toMatchObject({ 'network-sir.beta': 0.2, 'random-walk.speed': expect.any(Number) });
  });

  it('schedule values and composed parameters out of bounds fail with the messages of setParams and createSimulation', () => {
    const thrown = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a failure');
    };
    const sim = runtime.createSimulation({ model: SIR.model, population: SIR.population, agents: 100, seed: 1 });
    const viaSetParams = thrown(() => sim.setParams({ beta: 9 }));
    sim.dispose();
    expect(failure({ kind: 'run', ...SIR, schedules: { beta: [{ step: 0, value: 0.1 }, { step: 3, value: 9 }] } }).message).toBe(viaSetParams);
    const composition = runtime.compose({ models: ['network-sir', 'random-walk'] });
    const viaCreate = thrown(() => composition.createSimulation({ params: { 'network-sir.beta': -1 } }));
    expect(failure({ kind: 'run', model: 'example/network-sir+example/random-walk', params: { 'network-sir.beta': -1 } }).message).toBe(viaCreate);
  });
});
