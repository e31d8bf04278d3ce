/**
 * Query depth and cost: the measure against hand-computed values, the rule
 * through graphql's `validate`, and the limits through `yoga.fetch` (an
 * over-deep or over-costly operation is refused before anything runs).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchema, getIntrospectionQuery, parse, validate, type OperationDefinitionNode } from './graphql.js';
import { DEFAULT_QUERY_LIMITS, measureOperation, queryLimitsRule } from './query-limits.js';
import { populaceTypeDefs } from './type-defs.js';
import { removeTempDirs, testServer } from './yoga.fixture.js';

const schema = buildSchema(populaceTypeDefs());
const server = testServer();
afterAll(async () => {
  await server.kit.close();
  removeTempDirs();
});

function measure(query: string, limits = DEFAULT_QUERY_LIMITS) {
  const doc = parse(query);
  const fragments = Object.fromEntries(doc.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])));
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return measureOperation({ getSchema: () => schema, getFragment: (name) => fragments[name] }, operation, limits);
}

describe('measureOperation', () => {
  it('counts depth as nested fields and cost as fields times expected list items', () => {
    // models (1) + 10 models x id (1)
    expect(measure('{ models { id } }')).toEqual({ depth: 2, cost: 11, aliases: 0, aliasesPerSelection: 0 });
    // run (1) + parent (1) + id (1); objects multiply nothing
    expect(measure('{ run(id: "a") { parent { id } } }')).toMatchObject({ depth: 3, cost: 3 });
    // runs (1) + total (1) + runs (1) + 5 x [id (1) + params (1) + 10 x name (1)]
    expect(measure('{ runs(first: 5) { total runs { id params { name } } } }')).toMatchObject({ depth: 4, cost: 3 + 5 * 12 });
    // the argument's default (20) when no first is given
    expect(measure('{ runs { runs { id } } }').cost).toBe(2 + 20);
    // Run.metrics costs 5, its numbers 1 per 100 of the points (10,000 without maxPoints):
    // run (1) + metrics (5) + steps (1 + 100) + series (1) + 10 x values (1 + 100)
    expect(measure('{ run(id: "a") { metrics { steps series { values } } } }')).toMatchObject({ depth: 4, cost: 1 + 5 + 101 + 1 + 10 * 101 });
    // two series of 30 points: run (1) + metrics (5) + steps (1 + 1) + series (1) + 2 x values (1 + 1)
    expect(measure('{ run(id: "a") { metrics(names: ["I", "S"], maxPoints: 30) { steps series { values } } } }')).toMatchObject({ cost: 1 + 5 + 2 + 1 + 2 * 2 });
    // maxPoints past the longest series a run can have counts as that
    expect(measure('{ run(id: "a") { metrics(names: ["I"], maxPoints: 1000000000) { series { values } } } }').cost).toBe(1 + 5 + 1 + 101);
    // __typename costs 1 like any field
    expect(measure('{ __typename models { __typename id } }')).toMatchObject({ depth: 2, cost: 1 + 1 + 10 * 2 });
  });

  it('a variable first counts as the largest page unless it has a default', () => {
    expect(measure('query($n: Int) { runs(first: $n) { runs { id } } }').cost).toBe(2 + DEFAULT_QUERY_LIMITS.maxListSize);
    expect(measure('query($n: Int = 3) { runs(first: $n) { runs { id } } }').cost).toBe(2 + 3);
  });

  it('fragments measure as their selections inline, the page size carried into them', () => {
    const inline = measure('{ runs(first: 7) { runs { id model params { name value } } } }');
    expect(measure('query { runs(first: 7) { ...Page } } fragment Page on RunPage { runs { ...R } } fragment R on Run { id model params { name value } }')).toEqual(inline);
    expect(measure('{ runs(first: 7) { ... on RunPage { runs { id ... on Run { model params { name value } } } } } }')).toEqual(inline);
  });

  it('repeated spreads are measured once: 2^40 selections are measured at once, and refused', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Run { id parent { ...F${i + 1} ...F${i + 1} } }`).join('\n');
    const query = `{ run(id: "a") { ...F0 } }\n${chain}\nfragment F40 on Run { id }`;
    const started = Date.now();
    const { depth, cost } = measure(query);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(depth).toBe(42);
    expect(cost).toBeGreaterThan(2 ** 40);
  });

  it('leaves introspection out (graphql’s own rule bounds it)', () => {
    expect(measure('{ __schema { types { name fields { name type { name } } } } }')).toMatchObject({ depth: 1, cost: 0 });
    expect(measure(getIntrospectionQuery()).cost).toBe(0);
  });
});

describe('queryLimitsRule', () => {
  it('reports an operation over either limit with LIMIT_EXCEEDED and the numbers', () => {
    const deep = validate(schema, parse('{ run(id: "a") { parent { parent { id } } } }'), [queryLimitsRule({ maxDepth: 3 })]);
    expect(deep).toHaveLength(1);
    expect(deep[0]!.message).toBe("the query depth is 4, over this server's limit of 3 (maxDepth). Select less deeply nested fields; the operator can raise it with --max-query-depth.");
    expect(deep[0]!.extensions).toEqual({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxDepth', max: 3, received: 4 } });
    const costly = validate(schema, parse('query Big { runs(first: 50) { runs { id } } }'), [queryLimitsRule({ maxCost: 50 })]);
    expect(costly.map((e) => e.extensions)).toEqual([{ code: 'LIMIT_EXCEEDED', details: { limit: 'maxCost', max: 50, received: 52 } }]);
    expect(costly[0]!.message).toContain("of operation 'Big'");
    expect(validate(schema, parse('{ runs(first: 48) { runs { id } } }'), [queryLimitsRule({ maxCost: 50 })])).toEqual([]);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => queryLimitsRule({ maxDepth: 0 })).toThrow(/maxDepth expected a positive integer/);
    expect(() => queryLimitsRule({ maxCost: 1.5 })).toThrow(/maxCost/);
  });
});

describe('limits through yoga', () => {
  it('an over-deep query is refused before anything resolves', async () => {
    const nested = `{ run(id: "run-nope") { ${'parent { '.repeat(10)}id${' }'.repeat(10)} } }`;
    const { data, errors } = await server.gql(nested);
    expect(data).toBeUndefined();
    // no UNKNOWN_ID: the run was never looked up
    expect(errors).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', details: { limit: 'maxDepth', max: 10, received: 12 } } })]);
  });

  it('an over-cost query is refused, its cheaper twin answers', async () => {
    const costly = '{ runs(first: 100) { runs { scenarios { scenarios { runs { params { name } } } } } } }';
    const { data, errors } = await server.gql(costly);
    expect(data).toBeUndefined();
    // runs, runs: 100 x Run.scenarios (1) + scenarios: 10 x [runs (1) + 10 x (params (1) + 10 x name)]
    expect(errors).toEqual([expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', details: { limit: 'maxCost', max: 10_000, received: 2 + 100 * (2 + 10 * (1 + 10 * 11)) } } })]);
    const cheap = await server.gql('{ runs(first: 2) { runs { scenarios { scenarios { runs { params { name } } } } } } }');
    expect(cheap).toEqual({ data: { runs: { runs: [] } } });
  });

  it('a server’s own limits apply', async () => {
    const strict = testServer({ yoga: { queryLimits: { maxDepth: 3, maxCost: 12 } } });
    expect((await strict.gql('{ models { id } }')).errors).toBeUndefined();
    expect((await strict.gql('{ model(id: "network-sir") { agentTypes { properties { name } } } }')).errors![0]!.extensions!.details).toEqual({ limit: 'maxDepth', max: 3, received: 4 });
    expect((await strict.gql('{ models { id plugin } }')).errors![0]!.extensions!.details).toEqual({ limit: 'maxCost', max: 12, received: 21 });
    expect((await strict.gql('{ server { limits { maxQueryDepth maxQueryCost } } }')).data).toEqual({ server: { limits: { maxQueryDepth: 3, maxQueryCost: 12 } } });
    await strict.kit.close();
  });

  it('GraphiQL’s introspection query answers; a nested introspection query is refused', async () => {
    const introspection = await server.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(introspection.errors).toBeUndefined();
    const types = introspection.data!.__schema.types.map((t: { name: string }) => t.name);
    expect(types).toEqual(expect.arrayContaining(['Run', 'Model', 'RunProgressEvent', 'RunStatus', 'JSON']));
    const attack = await server.gql('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(attack.errors).toEqual([expect.objectContaining({ message: 'Maximum introspection depth exceeded', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
  });
});
