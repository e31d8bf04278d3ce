/**
 * The progress bar of `populace run`: drawn on stderr only when stderr is a
 * terminal and the run has lasted more than a second, redrawn at most ten
 * times a second, and erased when the run ends.
 */
import type { Progress } from '@populace/core';
import { formatDuration } from './format.js';
import type { TextSink } from './io.js';

/** A progress reporter for one run. */
export interface ProgressBar {
  /** Pass as `onProgress` to `Simulation.run`. */
  update(progress: Progress): void;
  /** Erases the bar (if it was drawn). Safe to call more than once. */
  done(): void;
}

export interface ProgressOptions {
  readonly stream: TextSink;
  /** Draw at all (stderr is a terminal). */
  readonly enabled: boolean;
  /** Terminal width. */
  readonly columns: number;
  /** Run time before the bar first appears, in ms. Default 1000. */
  readonly delayMs?: number;
  /** Minimum time between redraws, in ms. Default 100. */
  readonly intervalMs?: number;
  /** Clock (ms); default `performance.now`. */
  readonly now?: () => number;
}

const CLEAR = '\r\x1b[2K';

/** Creates the progress bar; a disabled one does nothing. */
export function createProgressBar(options: ProgressOptions): ProgressBar {
  const { stream, enabled, columns } = options;
  const delay = options.delayMs ?? 1000;
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update(p) {
      if (!enabled || p.elapsedMs < delay) return;
      const t = now();
      if (t - lastDraw < interval && p.step < p.steps) return;
      lastDraw = t;
      const eta = p.step > 0 ? (p.elapsedMs / p.step) * (p.steps - p.step) : 0;
      const text = ` ${p.step}/${p.steps} steps  ${formatDuration(p.elapsedMs)}${p.step < p.steps ? `  ETA ${formatDuration(eta)}` : ''}`;
      const width = Math.max(10, Math.min(40, columns - text.length - 3));
      const filled = p.steps > 0 ? Math.round((p.step / p.steps) * width) : width;
      stream.write(`${CLEAR}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${text}`.slice(0, Math.max(columns - 1, 20) + CLEAR.length));
      drawn = true;
    },
    done() {
      if (drawn) stream.write(CLEAR);
      drawn = false;
    },
  };
}
