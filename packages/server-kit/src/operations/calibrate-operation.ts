/**
 * calibrate: fit learnable parameters to observed series by gradient descent
 * through the simulator (core's `calibrate`), as a recorded job.
 */
import { z } from 'zod';
import { DEFAULT_EPOCHS } from '../job-request.js';
import type { CalibrateOutcome } from '../run-record.js';
import { defineOperation } from './define-operation.js';
import { submitAndFollow } from './follow-job.js';
import { compositionFields, learnableField, lossSchema, observedSchema, paramValueSchema, simulationFields, waitField } from './job-fields.js';
import { runText } from './job-text.js';
import { runRecordSchema } from './run-record-schema.js';

/** Seconds calibrate and sensitivity wait when not told. */
export const GRADIENT_WAIT_SECONDS = 120;

/** The loss when a calibration names none (core's default; 'poisson' and 'negative-binomial' need counts). */
export const DEFAULT_LOSS = 'mse' as const;

const fmt = (v: number | readonly number[]): string => (typeof v === 'number' ? v.toPrecision(4) : `[${v.map((x) => x.toPrecision(3)).join(', ')}]`);

const calibrationSchema = z.object({ params: z.record(z.string(), paramValueSchema), start: z.record(z.string(), paramValueSchema), loss: z.number(), history: z.array(z.number()), epochs: z.number(), stopped: z.string() });

/** calibrate: fit learnable parameters to observed data. */
export const calibrateOperation = defineOperation({
  name: 'calibrate',
  title: 'Calibrate to observed data',
  description:
    "Fits learnable parameters (default: all) so the simulated metrics match an observed series given inline, by gradient descent through the simulator. observed maps a metric to one value per step from step 1 (null where unobserved), e.g. { newInfections: [3, 5, null, 12] }; params are the starting values. Returns the fitted values, the loss per epoch, and the fitted trajectory as the run's metrics.",
  readOnly: false,
  input: z.object({
    ...simulationFields,
    ...compositionFields,
    observed: observedSchema.describe('Observed series by metric, one value per step from step 1; null where unobserved. Their length is the number of steps.'),
    learnable: learnableField,
    loss: lossSchema.default(DEFAULT_LOSS).describe("'mse', or 'poisson' / 'negative-binomial' for counts."),
    epochs: z.number().int().min(1).default(DEFAULT_EPOCHS).describe('Gradient steps (it stops earlier when the loss stops improving).'),
    learningRate: z.number().positive('expected a positive number such as 0.05').optional().describe('Optimizer step size (default 0.1).'),
    waitSeconds: waitField(GRADIENT_WAIT_SECONDS),
  }),
  aliases: { fit: 'learnable' },
  output: z.object({ run: runRecordSchema, finished: z.boolean(), result: calibrationSchema.nullable() }),
  text: (o, { store }) => {
    const r = o.result;
    const head = r ? `Fitted (${r.stopped} after ${r.epochs} epochs): ${Object.entries(r.params).map(([k, v]) => `${k} ${fmt(r.start[k]!)} -> ${fmt(v)}`).join(', ')}; loss ${r.history[0]!.toPrecision(5)} -> ${r.loss.toPrecision(5)}.\n` : '';
    return `${head}${runText(o.run as never, store)}`;
  },
  run: async ({ waitSeconds, learnable, ...request }, ctx) => {
    const { run, finished } = await submitAndFollow(ctx, { kind: 'calibrate', ...request, fit: learnable }, waitSeconds);
    return { run, finished, result: (run.result as CalibrateOutcome | null) ?? null } as never;
  },
});
