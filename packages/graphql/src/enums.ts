/**
 * GraphQL enums of the server-kit's and the analyzer's string unions: each
 * value in SCREAMING_SNAKE style (`negative-binomial` -> `NEGATIVE_BINOMIAL`,
 * `peakStep` -> `PEAK_STEP`) whose internal value is the original string,
 * generated from the same constants the server-kit and the analyzer check
 * against, so they cannot drift apart.
 */
import { DOCUMENT_KINDS, STATS, SUMMARIES } from '@populace/analyzer';
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
  PopulationStat: { description: 'A statistic of an attribute within a group. Numbers: all of them (SHARE is the part of the total sum). Categories: COUNT and SHARE by label, MODE; ordered categories also MEDIAN, MIN and MAX, as labels.', values: STATS },
  RankOrder: { description: 'Order of a ranking: ASCENDING puts the lowest first.', values: ['ascending', 'descending'] },
  CounterfactualSummary: { description: "A summary of a metric's series: TOTAL (sum over the steps), PEAK, FINAL, PEAK_STEP (step of the peak, from 1).", values: SUMMARIES },
  DocumentKind: { description: 'What a document is: a MODEL card, a POPULATION card, the note of a recorded RUN, or a DOCUMENT of the server.', values: DOCUMENT_KINDS },
  AnswerStop: { description: 'Why the analyzer stopped: the chat model gave an ANSWER, or it was still calling tools at its iteration limit (MAX_ITERATIONS).', values: ['answer', 'max-iterations'] },
};

/**
 * An enum value's GraphQL name.
 *
 * @example
 * ```ts
 * enumValueName('negative-binomial'); // 'NEGATIVE_BINOMIAL'
 * enumValueName('peakStep');          // 'PEAK_STEP'
 * ```
 */
export function enumValueName(value: string): string {
  return graphqlCode(value.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}

/** The enum definitions, as SDL. */
export function enumTypeDefs(): string {
  return Object.entries(ENUMS)
    .map(([name, e]) => `"""${e.description}"""\nenum ${name} {\n${e.values.map((v) => `  ${enumValueName(v)}`).join('\n')}\n}`)
    .join('\n\n');
}

/** The enum resolvers: GraphQL name -> internal value, for each enum. */
export function enumResolvers(): Record<string, Record<string, string>> {
  return Object.fromEntries(Object.entries(ENUMS).map(([name, e]) => [name, Object.fromEntries(e.values.map((v) => [enumValueName(v), v]))]));
}
