/**
 * Test fixtures: a runtime with core's example plugin, temporary database
 * files (removed after the tests), and a small network-SIR request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime, type Runtime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';

const dirs: string[] = [];

/** A fresh runtime with the example plugin. */
export const exampleRuntime = (): Runtime => createRuntime({ plugins: [examplePlugin], backend: 'cpu' });

/** A path for a new database file in a fresh temporary directory. */
export function tempDbPath(name = 'runs.db'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'populace-kit-'));
  dirs.push(dir);
  return path.join(dir, name);
}

/** Removes the temporary directories (call in afterAll). */
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A small, fast epidemic: 2000 agents on the random graph, 1% seeded. */
export const SIR = { model: 'network-sir', population: 'random-graph', agents: 2000, seed: 1, params: { beta: 0.08, seedFraction: 0.01 } } as const;

/** A process id that is certainly not running (a child that has exited). */
export async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}
