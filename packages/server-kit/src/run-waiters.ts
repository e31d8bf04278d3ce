/**
 * Callers waiting for runs to end, shared by the executors: `wait(id)` resolves
 * with the stored record when the run ends (`wake(id)`), when the timeout
 * passes or the signal aborts; a run another process owns is polled in the store.
 */
import { isTerminal, type RunRecord } from './run-record.js';
import type { RunStore } from './run-store.js';

export class RunWaiters {
  readonly #waiters = new Map<string, Set<() => void>>();

  constructor(private readonly store: Pick<RunStore, 'require' | 'owns'>) {}

  wait(id: string, options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<RunRecord> {
    const first = this.store.require(id);
    if (isTerminal(first.status) || options.signal?.aborted || options.timeoutMs === 0) return Promise.resolve(first);
    return new Promise<RunRecord>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const finish = () => {
        timers.forEach((t) => clearTimeout(t));
        timers.forEach((t) => clearInterval(t));
        this.#waiters.get(id)?.delete(finish);
        options.signal?.removeEventListener('abort', finish);
        resolve(this.store.require(id));
      };
      const set = this.#waiters.get(id) ?? new Set();
      set.add(finish);
      this.#waiters.set(id, set);
      options.signal?.addEventListener('abort', finish, { once: true });
      if (options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs)) timers.push(setTimeout(finish, Math.max(0, options.timeoutMs)));
      // a job of another process: poll the store
      if (!this.store.owns(id)) timers.push(setInterval(() => isTerminal(this.store.require(id).status) && finish(), 250));
    });
  }

  /** Resolves every caller waiting for `id`. */
  wake(id: string): void {
    for (const w of [...(this.#waiters.get(id) ?? [])]) w();
    this.#waiters.delete(id);
  }
}
