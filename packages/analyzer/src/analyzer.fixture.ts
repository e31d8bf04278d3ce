/**
 * Test fixtures: a runtime with the populations and epidemic plugins on the
 * cpu backend, and a server kit (real SQLite store in a temporary directory,
 * real in-process executor) that the tests close in afterAll.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime, type Runtime } from '@populace/core';
import epi from '@populace/models-epi';
import populations from '@populace/populations';
import { createServerKit, type RunLimits, type ServerKit } from '@populace/server-kit';
import { afterAll, beforeAll } from 'vitest';

const dirs: string[] = [];

/** A fresh runtime with populations and epi. */
export const testRuntime = (): Runtime => createRuntime({ plugins: [populations, epi], backend: 'cpu' });

/** A kit on a new SQLite file in a fresh temporary directory. */
export function testKit(limits?: Partial<RunLimits>): ServerKit {
  const dir = mkdtempSync(path.join(tmpdir(), 'populace-analyzer-'));
  dirs.push(dir);
  return createServerKit({ runtime: testRuntime(), db: path.join(dir, 'runs.db'), concurrency: 2, ...(limits ? { limits } : {}) });
}

/** Removes the temporary directories (call in afterAll, after closing the kits). */
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * One kit for a test file: made in beforeAll, closed (and its directory removed) in afterAll.
 * Returns the accessor the tests read it through.
 */
export function useTestKit(limits?: Partial<RunLimits>): () => ServerKit {
  let kit: ServerKit | undefined;
  beforeAll(() => {
    kit = testKit(limits);
  });
  afterAll(async () => {
    await kit?.close();
    removeTempDirs();
  });
  return () => kit!;
}

/** A small well-mixed SIR run. */
export const SMALL_SIR = { model: 'epi/sir', population: 'well-mixed', agents: 2000, steps: 30 } as const;
