/**
 * What `Simulation.run` takes and gives: its options, the progress it reports after each step,
 * and its result.
 */

/** Progress reported after every step of `run`. */
export interface Progress {
  /** Steps completed in this run. */
  readonly step: number;
  /** Steps this run was asked for. */
  readonly steps: number;
  /** Steps completed since the last reset. */
  readonly totalSteps: number;
  readonly elapsedMs: number;
  /** The metrics of the step just completed. */
  readonly latest: Readonly<Record<string, number>>;
}

export interface RunOptions {
  readonly steps: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Awaited after each step, before `onProgress`, with the steps completed since the last reset:
   * the place to read state to the host between steps (`SnapshotRecorder.afterStep`).
   */
  readonly afterStep?: (totalSteps: number) => void | Promise<void>;
}

export interface RunResult {
  readonly steps: number;
  readonly metrics: Record<string, number[]>;
  readonly wallMs: number;
}
