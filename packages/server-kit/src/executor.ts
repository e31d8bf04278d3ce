/**
 * The executor interface: how servers (and later the CLI) run jobs. Jobs are
 * checked and recorded when submitted, wait in a FIFO queue for one of a
 * bounded number of slots, report progress as events, and can be cancelled.
 * `createInProcessExecutor` runs them in this process; a queue-backed
 * executor (BullMQ on Redis) can implement the same interface later.
 */
import type { ParamValue } from '@populace/core';
import type { SubmitOptions } from './client-slots.js';
import type { JobRequest } from './job-request.js';
import type { RunLimits } from './limits.js';
import type { RunKind, RunProgress, RunRecord, RunStatus } from './run-record.js';

/** What happened to a job. */
export type RunEventType = 'queued' | 'started' | 'progress' | 'finished';

/** A progress event: one per step of a simulation, per epoch of a calibration, per run of a sweep. */
export interface RunEvent {
  readonly type: RunEventType;
  readonly runId: string;
  readonly kind: RunKind;
  /** The sweep this run belongs to, if any. */
  readonly parentId: string | null;
  readonly status: RunStatus;
  readonly progress: RunProgress;
  /** The step just completed (step events of runs and sensitivities), else null. */
  readonly step: number | null;
  /** The metric values of that step, else null. */
  readonly latest: Readonly<Record<string, number>> | null;
  /**
   * Every metric's series so far. A live view that keeps growing while the job runs:
   * serialise or copy it when the event arrives rather than keeping it.
   */
  readonly metrics: Readonly<Record<string, readonly number[]>>;
  /** For calibrations: the epoch just completed, its loss and parameter values. */
  readonly epoch: { readonly epoch: number; readonly loss: number; readonly params: Readonly<Record<string, ParamValue>> } | null;
  /** On `finished`: the final record. */
  readonly record: RunRecord | null;
}

/** Receives events; exceptions it throws are ignored. */
export type RunListener = (event: RunEvent) => void;

/** What `cancel` did. */
export interface CancelResult {
  /** The record after the cancel. */
  readonly record: RunRecord;
  /**
   * `cancelled`: the job stopped (a sweep: all its runs); `requested`: another process runs it
   * and will stop it at its next step; `already-finished`: it had ended before.
   */
  readonly outcome: 'cancelled' | 'requested' | 'already-finished';
}

/** Load of an executor. */
export interface ExecutorStats {
  readonly running: number;
  readonly queued: number;
  readonly concurrency: number;
  /** Bytes the running jobs may hold together (their estimates); Infinity for no budget. */
  readonly memoryBudget: number;
  /** Bytes the running jobs' estimates reserve now. */
  readonly memoryInUse: number;
  /** Queued jobs a free slot would start now but the memory budget holds back. */
  readonly memoryWait: number;
}

/** Runs jobs. */
export interface Executor {
  /** The most jobs running at once. */
  readonly concurrency: number;
  readonly limits: RunLimits;
  /**
   * Checks the request (ids, parameters, observed series, limits), records it as `queued` and
   * queues it; returns the record at once. A bad request throws a PopulaceError and records nothing.
   * `options.client` names who submits it: at most `limits.maxClientRunning` of one client's jobs
   * run at once, the others wait (a sweep's runs count one by one).
   */
  submit(request: JobRequest, options?: SubmitOptions): RunRecord;
  /** Cancels a queued or running job (a sweep with all its runs); resolves once it has stopped. */
  cancel(id: string): Promise<CancelResult>;
  /** Resolves with the record once the job has ended, or when `timeoutMs` has passed or `signal` aborts (the record then). */
  wait(id: string, options?: { readonly timeoutMs?: number; readonly signal?: AbortSignal }): Promise<RunRecord>;
  /** Calls `listener` with every event (of one job with `runId`); returns the unsubscribe function. */
  subscribe(listener: RunListener, filter?: { readonly runId?: string }): () => void;
  stats(): ExecutorStats;
  /** Stops taking jobs; queued and running ones end as `failed` (`interrupted`). Resolves when all have stopped. */
  close(): Promise<void>;
}
