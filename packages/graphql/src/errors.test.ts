/**
 * Bad input on every field, through `yoga.fetch`: each error carries an
 * `extensions.code` and a message that names the field, the expectation and
 * the value; nothing is recorded for a refused request; an internal failure
 * is masked and logged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PopulaceError } from '@populace/core';
import { createPopulaceYoga } from './yoga.js';
import { captureLogger, post, removeTempDirs, SIR_INPUT, testServer, type GqlResult } from './yoga.fixture.js';
import { graphqlCode } from './errors.js';

const server = testServer({ limits: { maxAgents: 50_000, maxSteps: 500, maxScenarioRuns: 4 } });
afterAll(async () => {
  await server.kit.close();
  removeTempDirs();
});

const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';
const CALIBRATE = 'mutation($input: CalibrateInput!) { calibrate(input: $input) { id } }';
const SENSITIVITY = 'mutation($input: SensitivityInput!) { sensitivity(input: $input) { id } }';
const SCENARIOS = 'mutation($input: ScenariosInput!) { runScenarios(input: $input) { id } }';

/** The one error of a refused operation, after checking that nothing was recorded. */
async function refused(query: string, variables: Record<string, unknown> | undefined, code: string, ...texts: string[]): Promise<NonNullable<GqlResult['errors']>[number]> {
  const before = server.kit.store.list({ limit: 1000 }).total;
  const { data, errors } = await server.gql(query, variables);
  expect(errors, JSON.stringify(data)).toHaveLength(1);
  const [error] = errors!;
  expect(error!.extensions!.code, error!.message).toBe(code);
  for (const text of texts) expect(error!.message).toContain(text);
  expect(server.kit.store.list({ limit: 1000 }).total).toBe(before);
  return error!;
}

describe('graphqlCode', () => {
  it('turns Populace codes into GraphQL style', () => {
    expect(['unknown-id', 'param-out-of-bounds', 'limit-exceeded', 'disposed'].map(graphqlCode)).toEqual(['UNKNOWN_ID', 'PARAM_OUT_OF_BOUNDS', 'LIMIT_EXCEEDED', 'DISPOSED']);
  });
});

describe('unknown ids', () => {
  it('of runs, in run, cancelRun, compareRuns and runProgress', async () => {
    const done = (await server.gql('mutation($input: StartRunInput!) { startRun(input: $input, waitMs: 60000) { id } }', { input: { ...SIR_INPUT, steps: 2 } })).data!.startRun.id as string;
    const typo = done.slice(0, -1) + (done.endsWith('0') ? '1' : '0');
    const run = await refused('query($id: ID!) { run(id: $id) { id } }', { id: typo }, 'UNKNOWN_ID', `unknown run '${typo}'`, `Did you mean '${done}'?`);
    expect(run.path).toEqual(['run']);
    expect(run.extensions!.details).toMatchObject({ kind: 'run', id: typo });
    await refused('mutation($id: ID!) { cancelRun(id: $id) { outcome } }', { id: 'run-nope' }, 'UNKNOWN_ID', "unknown run 'run-nope'");
    await refused('query($ids: [ID!]!) { compareRuns(ids: $ids) { baseline } }', { ids: [done, 'run-nope'] }, 'UNKNOWN_ID', "unknown run 'run-nope'");
  });

  it('of models, populations, parameters and metrics in mutations', async () => {
    const model = await refused(START, { input: { ...SIR_INPUT, model: 'network-sri' } }, 'UNKNOWN_ID', "Did you mean 'example/network-sir'?");
    expect(model.extensions!.details!.known).toEqual(['example/network-sir', 'example/network-seir', 'example/random-walk']);
    await refused(START, { input: { ...SIR_INPUT, population: 'nyc' } }, 'UNKNOWN_ID', 'example/random-graph');
    await refused(START, { input: { ...SIR_INPUT, params: [{ name: 'betta', value: 0.1 }] } }, 'UNKNOWN_PARAM', "'betta'", 'beta');
    await refused(SENSITIVITY, { input: { ...SIR_INPUT, output: { metric: 'deaths' } } }, 'INVALID_ARGUMENT', 'deaths', 'S, I, R, newInfections');
    await refused(SENSITIVITY, { input: { ...SIR_INPUT, output: { metric: 'I' }, wrt: ['seedFraction'] } }, 'INVALID_PARAM', "'seedFraction'", 'not learnable', 'beta, gamma');
    await refused('query($id: ID!) { run(id: $id) { metrics(names: ["deaths"]) { steps } } }', { id: server.kit.store.list({ limit: 1 }).runs[0]!.id }, 'INVALID_ARGUMENT', "no metric \"deaths\"");
  });
});

describe('wrong types', () => {
  it('in literals are validation errors, in variables BAD_USER_INPUT', async () => {
    await refused('mutation { startRun(input: { model: "network-sir", agents: "many" }) { id } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 'Int cannot represent non-integer value: "many"');
    await refused(START, { input: { ...SIR_INPUT, agents: 'many' } }, 'BAD_USER_INPUT', 'i', 'agents', 'Int cannot represent');
    await refused(START, { input: { ...SIR_INPUT, steps: 2.5 } }, 'BAD_USER_INPUT', 'steps');
    await refused(START, { input: { ...SIR_INPUT, params: [{ name: 'beta', value: 'high' }] } }, 'BAD_USER_INPUT', 'Float cannot represent');
    await refused(START, { input: { population: 'random-graph' } }, 'BAD_USER_INPUT', 'model', 'was not provided');
    await refused('{ runs(filter: { status: [FINISHED] }) { total } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 'FINISHED');
    await refused('{ models { id nope } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 'Cannot query field "nope" on type "Model"');
    await refused('{ models { id ', undefined, 'GRAPHQL_PARSE_FAILED', 'Syntax Error');
  });

  it('params need exactly one of value and values, each name once', async () => {
    await refused(START, { input: { ...SIR_INPUT, params: [{ name: 'beta' }] } }, 'INVALID_ARGUMENT', "params[0] ('beta')", 'received neither');
    await refused(START, { input: { ...SIR_INPUT, params: [{ name: 'beta', value: 0.1, values: [0.1] }] } }, 'INVALID_ARGUMENT', 'received both');
    await refused(START, { input: { ...SIR_INPUT, params: [{ name: 'beta', value: 0.1 }, { name: 'beta', value: 0.2 }] } }, 'INVALID_ARGUMENT', "parameter 'beta' is given twice");
    await refused(START, { input: { ...SIR_INPUT, params: [{ name: 'beta', values: [0.1, 0.2] }] } }, 'INVALID_PARAM', "'beta'", 'expected a number');
    const bounds = await refused(START, { input: { ...SIR_INPUT, params: [{ name: 'beta', value: 9 }] } }, 'PARAM_OUT_OF_BOUNDS', 'within [0, 5]', 'received 9');
    expect(bounds.extensions!.details).toMatchObject({ param: 'beta', bounds: [0, 5], received: 9 });
  });
});

describe('sizes and ranges', () => {
  it('huge agent counts hit the limit (or Int’s range) before any work', async () => {
    const over = await refused(START, { input: { ...SIR_INPUT, agents: 2_000_000_000 } }, 'LIMIT_EXCEEDED', '2,000,000,000', '50,000', '--max-agents');
    expect(over.extensions!.details).toEqual({ limit: 'maxAgents', max: 50_000, received: 2_000_000_000 });
    await refused(START, { input: { ...SIR_INPUT, agents: 1e12 } }, 'BAD_USER_INPUT', 'non 32-bit signed integer');
    // the population's default (100,000) is over the limit too
    await refused(START, { input: { model: 'network-sir', population: 'random-graph' } }, 'LIMIT_EXCEEDED', "the default of population 'example/random-graph'");
    await refused(START, { input: { ...SIR_INPUT, agents: 0 } }, 'INVALID_ARGUMENT', 'agents: expected at least 1 (received 0)');
  });

  it('negative or too many steps, epochs and bad seeds are refused', async () => {
    await refused(START, { input: { ...SIR_INPUT, steps: -3 } }, 'INVALID_ARGUMENT', 'steps: expected at least 1 (received -3)');
    await refused(START, { input: { ...SIR_INPUT, steps: 501 } }, 'LIMIT_EXCEEDED', 'maxSteps');
    await refused(START, { input: { ...SIR_INPUT, seed: -1 } }, 'INVALID_ARGUMENT', 'seed', '[0, 4294967295]');
    await refused(START, { input: { ...SIR_INPUT, seed: 1.5 } }, 'INVALID_ARGUMENT', 'seed');
    await refused(SENSITIVITY, { input: { ...SIR_INPUT, steps: 0, output: { metric: 'I' } } }, 'INVALID_ARGUMENT', 'steps');
    await refused(CALIBRATE, { input: { ...SIR_INPUT, observed: [{ metric: 'I', values: [1, 2] }], epochs: -1 } }, 'INVALID_ARGUMENT', 'epochs');
    await refused(CALIBRATE, { input: { ...SIR_INPUT, observed: [{ metric: 'I', values: [1, 2] }], learningRate: 0 } }, 'INVALID_ARGUMENT', 'learningRate');
    await refused('mutation($input: StartRunInput!) { startRun(input: $input, waitMs: -5) { id } }', { input: SIR_INPUT }, 'INVALID_ARGUMENT', 'waitMs expected an integer in [0, 600000]');
  });

  it('sweeps: no scenarios, duplicate seeds or names, too many runs', async () => {
    await refused(SCENARIOS, { input: { ...SIR_INPUT, scenarios: [] } }, 'INVALID_ARGUMENT', 'scenarios');
    await refused(SCENARIOS, { input: { ...SIR_INPUT, scenarios: [{ name: 'a' }], seeds: [1, 1] } }, 'INVALID_ARGUMENT', 'distinct seeds');
    await refused(SCENARIOS, { input: { ...SIR_INPUT, scenarios: [{ name: 'a' }, { name: 'a' }] } }, 'INVALID_ARGUMENT', "scenarios[1].name");
    await refused(SCENARIOS, { input: { ...SIR_INPUT, scenarios: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], seeds: [1, 2] } }, 'LIMIT_EXCEEDED', '3 scenarios x 2 seeds', 'maxScenarioRuns');
    await refused(SCENARIOS, { input: { ...SIR_INPUT, scenarios: [{ name: 'a', params: [{ name: 'beta', value: -1 }] }] } }, 'PARAM_OUT_OF_BOUNDS', "scenarios[0] 'a'");
  });
});

describe('malformed observed series', () => {
  const calibrate = (observed: unknown, extra: Record<string, unknown> = {}) => ({ input: { ...SIR_INPUT, observed, ...extra } });
  it('are refused with what is wrong and where', async () => {
    await refused(CALIBRATE, calibrate([]), 'INVALID_ARGUMENT', 'observed expected at least one series');
    await refused(CALIBRATE, calibrate([{ metric: 'cases', values: [1, 2, 3] }]), 'INVALID_ARGUMENT', "observed metric 'cases' is not a metric of the model", 'S, I, R, newInfections');
    await refused(CALIBRATE, calibrate([{ metric: 'I', values: [] }]), 'INVALID_ARGUMENT', "observed 'I' expected a non-empty array");
    await refused(CALIBRATE, calibrate([{ metric: 'I', values: [null, null] }]), 'INVALID_ARGUMENT', 'no observed value (all null)');
    await refused(CALIBRATE, calibrate([{ metric: 'I', values: [1, 2] }, { metric: 'I', values: [3, 4] }]), 'INVALID_ARGUMENT', "metric 'I' is given twice");
    await refused(CALIBRATE, calibrate([{ metric: 'newInfections', values: [1, -2, 3] }], { loss: 'POISSON' }), 'INVALID_ARGUMENT', "'newInfections'[1] is -2", 'non-negative counts');
    await refused(CALIBRATE, calibrate([{ metric: 'I', values: [1, 'x'] }]), 'BAD_USER_INPUT', 'observed[0].values[1]', 'Float cannot represent');
    await refused(CALIBRATE, calibrate([{ metric: 'I' }]), 'BAD_USER_INPUT', 'input.observed[0]', 'Field "values" of required type "[Float]!" was not provided');
    await refused(CALIBRATE, calibrate([{ metric: 'I', values: [1, 2] }], { fit: ['seedFraction'] }), 'INVALID_PARAM', 'not learnable');
    await refused(CALIBRATE, calibrate([{ metric: 'I', values: Array.from({ length: 501 }, () => 1) }]), 'LIMIT_EXCEEDED', 'the length of the observed series');
  });
});

describe('internal errors', () => {
  it('are masked as INTERNAL_SERVER_ERROR and logged with their detail', async () => {
    const logger = captureLogger();
    const broken = {
      ...server.kit,
      executor: {
        ...server.kit.executor,
        limits: server.kit.executor.limits,
        stats: () => {
          throw new Error('secret: database password is hunter2');
        },
      },
    };
    const yoga = createPopulaceYoga({ kit: broken, logging: logger });
    const { data, errors } = await post(yoga, '{ models { id } server { running } }');
    expect(data).toBeNull();
    expect(errors).toEqual([{ message: 'Unexpected error.', locations: [{ line: 1, column: 17 }], path: ['server'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(JSON.stringify(errors)).not.toContain('hunter2');
    expect(logger.errors.flat().map(String).join('\n')).toContain('hunter2');
  });

  it('a PopulaceError thrown outside the resolvers still keeps its code', async () => {
    const closed = testServer();
    await closed.kit.close();
    const { errors } = await closed.gql('{ runs { total } }');
    expect(errors![0]!.extensions!.code).toBe('DISPOSED');
    expect(errors![0]!.message).toContain('is closed');
    expect(PopulaceError.isInstance(errors![0])).toBe(false);
    expect(closed.logger.errors).toEqual([]);
  });
});
