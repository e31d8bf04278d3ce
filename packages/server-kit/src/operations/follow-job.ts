/**
 * Submitting a job and following it for a while: the job operations
 * (run_simulation, calibrate, sensitivity, run_scenarios) submit to the
 * executor (which checks the request against the runtime and the limits
 * before anything runs) and wait up to `waitSeconds`, reporting progress.
 */
import type { RunEvent } from '../executor.js';
import type { JobRequest } from '../job-request.js';
import { isTerminal, type RunRecord } from '../run-record.js';
import type { OperationContext } from './define-operation.js';

/** A line about a run event (progress notifications). */
export function progressMessage(e: RunEvent): string {
  const where = `${e.progress.done}/${e.progress.total} ${e.progress.unit}`;
  if (e.epoch) return `${e.runId} ${e.status}: epoch ${where}, loss ${e.epoch.loss.toPrecision(5)}`;
  if (e.latest) return `${e.runId} ${e.status}: ${where}; ${Object.entries(e.latest).slice(0, 4).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(' ')}`;
  return `${e.runId} ${e.status}: ${where}`;
}

/** A job's record after waiting, and whether it had ended. */
export interface FollowedJob {
  readonly run: RunRecord;
  readonly finished: boolean;
}

/**
 * Submits `request` and waits up to `waitSeconds` for it to end (the caller's abort signal ends the
 * wait, not the job); returns the record as it is then.
 */
export async function submitAndFollow(ctx: OperationContext, request: JobRequest, waitSeconds: number): Promise<FollowedJob> {
  const started = ctx.executor.submit(request);
  const { onProgress } = ctx;
  const unsubscribe = onProgress && waitSeconds > 0 ? ctx.executor.subscribe((e) => onProgress(e.progress.done, e.progress.total, progressMessage(e)), { runId: started.id }) : () => undefined;
  try {
    const run = await ctx.executor.wait(started.id, { timeoutMs: waitSeconds * 1000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return { run, finished: isTerminal(run.status) };
  } finally {
    unsubscribe();
  }
}
