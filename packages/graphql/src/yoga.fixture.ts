/**
 * Test fixtures: a server kit on core's example plugin (or on the populations
 * and epidemic plugins) with a temporary SQLite file, the Yoga server on it,
 * and a `gql` helper that posts an operation through `yoga.fetch` and returns
 * the parsed body.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { createServerKit, type RunLimits, type ServerKit } from '@populace/server-kit';
import type { YogaLogger } from 'graphql-yoga';
import { createPopulaceYoga, type PopulaceYoga, type PopulaceYogaOptions } from './yoga.js';

const dirs: string[] = [];

/** A path for a new database file in a fresh temporary directory. */
export function tempDbPath(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'populace-graphql-'));
  dirs.push(dir);
  return path.join(dir, 'runs.db');
}

/** Removes the temporary directories (call in afterAll). */
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A GraphQL response body. */
export interface GqlResult {
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; details?: Record<string, unknown> } & Record<string, unknown> }[];
}

/** A logger that keeps what Yoga logs as errors. */
export function captureLogger(): YogaLogger & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { errors, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => void errors.push(args) };
}

/** A kit, its Yoga server and `gql`. */
export interface TestServer {
  readonly kit: ServerKit;
  readonly yoga: PopulaceYoga;
  readonly logger: ReturnType<typeof captureLogger>;
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
}

/** Posts `query` to `yoga` and returns the parsed body. */
export async function post(yoga: PopulaceYoga, query: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const response = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as GqlResult;
}

/** A kit on the example plugin (cpu backend) with a fresh database, and the Yoga server on it. */
export function testServer(options: { limits?: Partial<RunLimits>; concurrency?: number; yoga?: Omit<PopulaceYogaOptions, 'kit'> } = {}): TestServer {
  const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: tempDbPath(), limits: options.limits, concurrency: options.concurrency ?? 2 });
  const logger = captureLogger();
  const yoga = createPopulaceYoga({ kit, logging: logger, ...options.yoga });
  return { kit, yoga, logger, gql: (query, variables) => post(yoga, query, variables) };
}

/** A kit on the populations and epidemic plugins (cpu backend) with a fresh database, and the Yoga server on it. */
export function analysisServer(options: { limits?: Partial<RunLimits>; yoga?: Omit<PopulaceYogaOptions, 'kit'> } = {}): TestServer {
  const kit = createServerKit({ runtime: createRuntime({ plugins: [populations, epi], backend: 'cpu' }), db: tempDbPath(), limits: options.limits, concurrency: 2 });
  const logger = captureLogger();
  const yoga = createPopulaceYoga({ kit, logging: logger, ...options.yoga });
  return { kit, yoga, logger, gql: (query, variables) => post(yoga, query, variables) };
}

/** A small, fast epidemic: 2000 agents on the random graph, 1% seeded. */
export const SIR = { model: 'network-sir', population: 'random-graph', agents: 2000, seed: 1, params: { beta: 0.08, seedFraction: 0.01 } } as const;

/** SIR's params as the ParamInput list of a mutation. */
export const SIR_PARAMS = Object.entries(SIR.params).map(([name, value]) => ({ name, value }));

/** SIR as a StartRunInput (without steps). */
export const SIR_INPUT = { model: SIR.model, population: SIR.population, agents: SIR.agents, seed: SIR.seed, params: SIR_PARAMS };

/** The metrics of SIR run directly on core for `steps` steps (the reference for the server's). */
export async function referenceMetrics(steps: number, overrides: Record<string, number> = {}, seed: number = SIR.seed): Promise<Record<string, number[]>> {
  const runtime = createRuntime({ plugins: [examplePlugin], backend: 'cpu' });
  const sim = runtime.createSimulation({ ...SIR, seed, params: { ...SIR.params, ...overrides } });
  const { metrics } = await sim.run({ steps });
  sim.dispose();
  return metrics;
}
