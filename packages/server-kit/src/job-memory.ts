/**
 * Memory admission of the executor: every job's bytes are estimated before
 * it runs (core's estimateSimulationMemory, the estimate the job was
 * checked against), and the running jobs' estimates together stay within a
 * budget. A job over what is left waits in the queue; a job over the whole
 * budget is refused when submitted, since it could never start.
 */
import { availableMemory, describeEstimate, estimateSimulationMemory, formatBytes, PopulaceError, type MemoryEstimate, type Runtime } from '@populace/core';
import { describe } from './describe.js';
import { jobModelDefinition } from './check-composition.js';
import type { CheckedJob } from './job-request.js';

/** The estimate of one simulation of `job` (a sweep: of one of its runs, which all have its size). */
export function jobEstimate(runtime: Runtime, job: CheckedJob): MemoryEstimate {
  const { sim } = job;
  const model = jobModelDefinition(runtime, sim);
  // a population file has no registered size estimate: the estimate falls back to a per-agent default
  const population = sim.population === null || !runtime.populations.has(sim.population) ? undefined : runtime.populations.get(sim.population).definition;
  return estimateSimulationMemory({ model, population, agents: sim.agents, steps: job.steps, gradient: job.kind === 'calibrate' || job.kind === 'sensitivity' });
}

/**
 * The default budget: the memory available now (free memory, the cgroup's limit or
 * POPULACE_MAX_MEMORY, whichever is lowest), at least 256 MB.
 */
export function defaultMemoryBudget(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return Math.max(256e6, availableMemory(env).bytes);
}

/** Checks a `memoryBudget` option: a positive number of bytes, or Infinity for none. */
export function resolveMemoryBudget(value: unknown): number {
  if (typeof value !== 'number' || !(value === Infinity || (Number.isSafeInteger(value) && value >= 1))) {
    throw new PopulaceError('invalid-argument', `memoryBudget: expected a positive whole number of bytes (or Infinity for no budget), received ${describe(value)}.`, { details: { option: 'memoryBudget' } });
  }
  return value;
}

/** The refusal of a job larger than the whole budget (`limit-exceeded`, details `{ limit: 'memoryBudget', max, received }`). */
export function memoryBudgetError(job: CheckedJob, estimate: MemoryEstimate, budget: number): PopulaceError {
  return new PopulaceError(
    'limit-exceeded',
    `a ${job.kind} of ${job.sim.model} with ${job.sim.agents.toLocaleString('en-US')} agents needs about ${formatBytes(estimate.bytes)} of memory (${describeEstimate(estimate)}), more than this server's whole memory budget of ${formatBytes(budget)} for running jobs (memoryBudget), so it could never start. Use fewer agents or steps, or ask the operator to raise the budget (POPULACE_MAX_MEMORY, or a machine with more free memory).`,
    { details: { limit: 'memoryBudget', max: budget, received: estimate.bytes } },
  );
}
