/**
 * The record of a new job, as both run stores (SQLite and in memory) first
 * write it: the request's fields, nothing started, nothing recorded.
 */
import type { RunRecord } from './run-record.js';
import type { NewRun } from './store-types.js';

/** The record of job `id`, created at `now` (epoch ms); a job recorded as `running` starts then. */
export function newRecord(id: string, run: NewRun, now: number): RunRecord {
  const status = run.status ?? 'queued';
  const created = new Date(now).toISOString();
  return {
    id,
    kind: run.kind,
    label: run.label ?? null,
    parentId: run.parentId ?? null,
    model: run.model,
    population: run.population,
    agents: run.agents,
    steps: run.steps,
    seed: run.seed,
    params: structuredClone(run.params),
    backend: null,
    worker: null,
    status,
    progress: { done: 0, total: run.progress.total, unit: run.progress.unit },
    metricNames: [...run.metricNames],
    stepsRecorded: 0,
    options: structuredClone(run.options ?? {}),
    result: null,
    error: null,
    createdAt: created,
    startedAt: status === 'running' ? created : null,
    finishedAt: null,
    wallMs: null,
  };
}
