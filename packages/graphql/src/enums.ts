/**
 * GraphQL enums of the server-kit's string unions: each value in
 * SCREAMING_SNAKE style (`negative-binomial` -> `NEGATIVE_BINOMIAL`) whose
 * internal value is the original string, generated from the same constants
 * the server-kit checks against, so the two cannot drift apart.
 */
import { AGGREGATES } from '@populace/core';
import { CALIBRATE_LOSSES, DOWNSAMPLE_METHODS, RUN_KINDS, RUN_STATUSES } from '@populace/server-kit';
import { graphqlCode } from './errors.js';

/**
 * Every enum of the schema: its description and its internal values.
 *
 * @example
 * ```ts
 * ENUMS.CalibrateLoss.values; // ['mse', 'poisson', 'negative-binomial'] (MSE, POISSON, NEGATIVE_BINOMIAL on the wire)
 * ```
 */
export const ENUMS: Readonly<Record<string, { readonly description: string; readonly values: readonly string[] }>> = {
  RunStatus: { description: 'Where a run is: QUEUED waits for a slot, RUNNING, then DONE, FAILED or CANCELLED.', values: RUN_STATUSES },
  RunKind: { description: 'What a run does: one simulation, a calibration, a sensitivity analysis or a sweep of scenarios.', values: RUN_KINDS },
  ProgressUnit: { description: 'What progress counts: steps of a run or sensitivity, epochs of a calibration, runs of a sweep.', values: ['steps', 'epochs', 'runs'] },
  CalibrateLoss: { description: 'Loss of a calibration: MSE, or POISSON and NEGATIVE_BINOMIAL for count data.', values: CALIBRATE_LOSSES },
  Aggregate: { description: 'How a metric series becomes one number.', values: AGGREGATES },
  DownsampleMethod: { description: 'SAMPLE keeps evenly spaced steps (first and last included); MEAN averages consecutive buckets.', values: DOWNSAMPLE_METHODS },
  CancelOutcome: { description: 'CANCELLED: it stopped; REQUESTED: another server process runs it and stops it at its next step; ALREADY_FINISHED: it had ended.', values: ['cancelled', 'requested', 'already-finished'] },
  RunEventType: { description: 'What happened to a run.', values: ['queued', 'started', 'progress', 'finished'] },
  CalibrationStop: { description: 'Why a calibration stopped: it ran all EPOCHS, CONVERGED, or was ABORTED (cancelled or over the wall time; the best parameters so far are kept).', values: ['epochs', 'converged', 'callback', 'aborted'] },
};

/** The enum definitions, as SDL. */
export function enumTypeDefs(): string {
  return Object.entries(ENUMS)
    .map(([name, e]) => `"""${e.description}"""\nenum ${name} {\n${e.values.map((v) => `  ${graphqlCode(v)}`).join('\n')}\n}`)
    .join('\n\n');
}

/** The enum resolvers: GraphQL name -> internal value, for each enum. */
export function enumResolvers(): Record<string, Record<string, string>> {
  return Object.fromEntries(Object.entries(ENUMS).map(([name, e]) => [name, Object.fromEntries(e.values.map((v) => [graphqlCode(v), v]))]));
}
