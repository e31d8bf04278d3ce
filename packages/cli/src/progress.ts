/**
 * Progress on stderr, only when stderr is a terminal: the progress bar of
 * `populace run` (drawn once the run has lasted more than a second, redrawn at
 * most ten times a second) and the status line of `populace calibrate` (one
 * line per epoch, redrawn in place). Both are erased when the work ends.
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

/** Redraws the current terminal line with `text`, cut to the terminal's width. */
function redraw(stream: TextSink, text: string, columns: number): void {
  stream.write(`${CLEAR}${text}`.slice(0, Math.max(columns - 1, 20) + CLEAR.length));
}

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
      redraw(stream, `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${text}`, columns);
      drawn = true;
    },
    done() {
      if (drawn) stream.write(CLEAR);
      drawn = false;
    },
  };
}

/** A one-line status redrawn in place (`epoch 12/100  loss 1234.5  beta=0.071`). */
export interface StatusLine {
  /** Replaces the line with `text` (when enabled). */
  update(text: string): void;
  /** Erases the line (if it was drawn). Safe to call more than once. */
  done(): void;
}

/** Creates a status line; a disabled one (stderr is not a terminal) does nothing. */
export function createStatusLine(options: Pick<ProgressOptions, 'stream' | 'enabled' | 'columns'>): StatusLine {
  const { stream, enabled, columns } = options;
  let drawn = false;
  return {
    update(text) {
      if (!enabled) return;
      redraw(stream, text, columns);
      drawn = true;
    },
    done() {
      if (drawn) stream.write(CLEAR);
      drawn = false;
    },
  };
}
