/**
 * The `runProgress` subscription: first the run as it is now (a QUEUED or
 * PROGRESS event from the store), then the executor's events of the run
 * until its FINISHED event. A run that has already ended gives its FINISHED
 * event at once. A run that another server process executes (a shared
 * store) sends no events here: the store is polled for its progress and end.
 */
import { Repeater, SlidingBuffer } from 'graphql-yoga';
import type { ParamValue } from '@populace/core';
import { isTerminal, type Executor, type RunEvent, type RunEventType, type RunKind, type RunProgress, type RunRecord, type RunStatus, type RunStore } from '@populace/server-kit';
import { finite, paramList, progressOut, seriesList, type SeriesOut } from './values.js';

/** How often the store is looked at for runs of other processes (and as a safety net for ours). */
export const PROGRESS_POLL_MS = 1000;
/** Events kept for a slow client; beyond it the oldest progress events are dropped (each carries the metrics so far). */
export const PROGRESS_BUFFER = 10_000;

/** A progress event as the RunProgressEvent type's resolvers receive it. */
export interface ProgressEventSource {
  readonly type: RunEventType;
  readonly runId: string;
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly progress: RunProgress;
  readonly step: number | null;
  readonly latest: Readonly<Record<string, number>> | null;
  readonly epoch: { readonly epoch: number; readonly loss: number; readonly params: Readonly<Record<string, ParamValue>> } | null;
  readonly record: RunRecord | null;
  /** The metric series as they were at the event (computed only when selected). */
  readonly metrics: () => SeriesOut[];
}

/**
 * The event with a view of its metrics as they are now: the executor's series only grow (or
 * are replaced whole), so each array's current length pins the event's view without copying.
 */
function fromEvent(e: RunEvent, store: RunStore, metricNames: readonly string[]): ProgressEventSource {
  const pinned = Object.entries(e.metrics).map(([name, values]) => [name, values, values.length] as const);
  const metrics = pinned.length > 0 ? () => pinned.map(([name, values, n]) => ({ name, values: values.slice(0, n).map(finite) })) : storedMetrics(store, e.runId, metricNames);
  return { type: e.type, runId: e.runId, kind: e.kind, status: e.status, progress: e.progress, step: e.step, latest: e.latest, epoch: e.epoch, record: e.record, metrics };
}

/** The stored series of a run, read when selected (none once the store is closed). */
function storedMetrics(store: RunStore, id: string, names: readonly string[]): () => SeriesOut[] {
  return () => {
    if (!store.open) return [];
    return seriesList(store.series(id).series, names);
  };
}

/** The last stored step of a run of steps and its metric values (null for none). */
function lastStep(r: RunRecord, store: RunStore): { step: number; latest: Record<string, number> } | null {
  if (r.progress.unit !== 'steps' || r.stepsRecorded === 0 || !store.open) return null;
  const { steps, series } = store.series(r.id, { from: r.stepsRecorded, to: r.stepsRecorded });
  if (steps.length === 0) return null;
  return { step: steps[0]!, latest: Object.fromEntries(r.metricNames.map((n) => [n, series[n]![0]!])) };
}

/** An event made from a record read from the store. */
function fromRecord(type: RunEventType, r: RunRecord, store: RunStore): ProgressEventSource {
  const last = lastStep(r, store);
  return { type, runId: r.id, kind: r.kind, status: r.status, progress: r.progress, step: last?.step ?? null, latest: last?.latest ?? null, epoch: null, record: type === 'finished' ? r : null, metrics: storedMetrics(store, r.id, r.metricNames) };
}

/**
 * The events of run `id` until it ends. `id` is checked at once (an unknown id throws before the
 * subscription starts).
 *
 * @example
 * ```ts
 * for await (const e of followRun(kit, run.id)) console.log(e.type, e.step, e.progress.done);
 * ```
 */
export function followRun(kit: { readonly store: RunStore; readonly executor: Executor }, id: string): AsyncIterable<ProgressEventSource> {
  const { store, executor } = kit;
  const first = store.require(id);
  return new Repeater<ProgressEventSource>(async (push, stop) => {
    let ended = false;
    const end = (event: ProgressEventSource) => {
      if (ended) return;
      ended = true;
      void push(event);
      stop();
    };
    const off = executor.subscribe(
      (e) => {
        if (ended) return;
        const event = fromEvent(e, store, first.metricNames);
        // the end of a run of steps: its last step and values, as stored
        if (e.type === 'finished') end(e.record ? { ...event, ...(lastStep(e.record, store) ?? {}) } : event);
        else void push(event);
      },
      { runId: id },
    );
    const owned = store.owns(id);
    let lastDone = -1;
    const look = () => {
      if (ended || !store.open) return;
      const now = store.get(id);
      if (!now) return;
      if (isTerminal(now.status)) end(fromRecord('finished', now, store));
      else if (lastDone === -1 || (!owned && now.progress.done !== lastDone)) {
        lastDone = now.progress.done;
        void push(fromRecord(now.status === 'queued' ? 'queued' : 'progress', now, store));
      }
    };
    look();
    const timer = setInterval(look, PROGRESS_POLL_MS);
    await stop;
    ended = true;
    clearInterval(timer);
    off();
  }, new SlidingBuffer(PROGRESS_BUFFER));
}

/** Resolvers of the `runProgress` subscription and of its RunProgressEvent type. */
export function progressResolvers(kit: { readonly store: RunStore; readonly executor: Executor }) {
  return {
    Subscription: {
      runProgress: {
        subscribe: (_: unknown, { id }: { id: string }) => followRun(kit, id),
        resolve: (event: ProgressEventSource) => event,
      },
    },
    RunProgressEvent: {
      progress: (e: ProgressEventSource) => progressOut(e.progress),
      latest: (e: ProgressEventSource) => (e.latest ? Object.entries(e.latest).map(([name, value]) => ({ name, value: finite(value) })) : null),
      metrics: (e: ProgressEventSource) => e.metrics(),
      epoch: (e: ProgressEventSource) => (e.epoch ? { epoch: e.epoch.epoch, loss: finite(e.epoch.loss), params: paramList(e.epoch.params) } : null),
      run: (e: ProgressEventSource) => e.record,
    },
  };
}
