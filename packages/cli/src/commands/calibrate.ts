/**
 * `populace calibrate <model> --observed file.csv`: fits learnable parameters to
 * observed series by gradient descent through the simulator (core's `calibrate`),
 * starting from the --param values, and reports the fit as a summary or as one
 * JSON document, optionally written to a file.
 */
import { allocationError, PopulaceError, type CalibrationResult, type ModelDescription, type ParamValue, isCountLoss } from '@populace/core';
import { CALIBRATE_LOSSES, calibrateOperation, DEFAULT_LOSS, type CalibrateOutcome, type RunEvent } from '@populace/server-kit';
import { DB_OPTION, REDIS_OPTION } from '../cli-kit.js';
import { followJob, jobError, jobFacts, openJob, openJobKit } from '../executor-job.js';
import { choiceValue, positiveInteger, usageError } from '../args.js';
import { learnableValue, LEARNABLE_OPTIONS } from '../learnable-option.js';
import { fieldDefault, fieldValue, operationOption } from '../operation-options.js';
import type { Command } from '../command.js';
import { formatBounds, formatNumber, formatValue, keyValues, table, toJson, type Align } from '../format.js';
import { checkObserved, DEFAULT_MAX_OBSERVED_STEP, readObservedCsv, type ObservedCsv } from '../observed-csv.js';
import { checkOutTarget, writeAtomic } from '../out-file.js';
import { createStatusLine } from '../progress.js';
import { roundMs, SIMULATION_OPTIONS, simulationArgs, type SimulationFacts } from '../simulation-options.js';
import { headerEntries, type SummaryExtras } from '../summary.js';

/** Loss functions of --loss: the calibrate operation's (the same on MCP and GraphQL). */
export const LOSSES = CALIBRATE_LOSSES;
/** The loss when --loss is not given: the operation's default. */
export { DEFAULT_LOSS };
/** Epochs when --epochs is not given: the operation's default. */
export const DEFAULT_EPOCHS = fieldDefault(calibrateOperation.input.shape.epochs) as number;

/** The document `populace calibrate --json` prints. */
export interface CalibrateDocument extends SimulationFacts {
  /** Steps simulated: the last observed step. */
  readonly steps: number;
  /** The best loss reached. */
  readonly loss: number;
  /** The fitted parameters. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Their starting values (the model's defaults or --param). */
  readonly start: Readonly<Record<string, ParamValue>>;
  /** The loss of every epoch. */
  readonly history: readonly number[];
  readonly epochs: number;
  /** Why it stopped: `epochs` (ran them all) or `converged` (the loss stopped improving). */
  readonly stopped: CalibrationResult['stopped'];
  /** Each observed metric simulated with the fitted parameters, one value per step. */
  readonly fit: Readonly<Record<string, readonly number[]>>;
  /** The observed series, one value per step (null where unobserved). */
  readonly observed: Readonly<Record<string, readonly (number | null)[]>>;
  /** Wall time, including building the population and the final run, in milliseconds. */
  readonly wallMs: number;
}

const pick = (values: Readonly<Record<string, ParamValue>>, names: readonly string[]): Record<string, ParamValue> =>
  Object.fromEntries(names.filter((n) => Object.hasOwn(values, n)).map((n) => [n, values[n]!]));

const assignments = (values: Readonly<Record<string, ParamValue>>): string => Object.entries(values).map(([k, v]) => `${k}=${formatValue(v)}`).join('  ');

const STOPPED: Record<CalibrationResult['stopped'], string> = {
  epochs: 'ran every epoch',
  converged: 'converged: the loss stopped improving',
  callback: 'stopped early',
  aborted: 'interrupted',
};

/** Steps shown in the observed-vs-fitted table: all up to 12, else the first and every ~10%. */
function sampleSteps(steps: number): number[] {
  if (steps <= 12) return Array.from({ length: steps }, (_, i) => i + 1);
  return [...new Set([1, ...Array.from({ length: 10 }, (_, i) => Math.round(((i + 1) * steps) / 10))])];
}

/** The observed-vs-fitted table: sampled steps, then totals over the observed steps. */
function fitTable(doc: CalibrateDocument): string {
  const metrics = Object.keys(doc.observed);
  const cell = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : formatNumber(v));
  const rows = sampleSteps(doc.steps).map((step) => [String(step), ...metrics.flatMap((m) => [cell(doc.observed[m]![step - 1]), cell(doc.fit[m]?.[step - 1])])]);
  const totals = metrics.flatMap((m) => {
    const seen = doc.observed[m]!.flatMap((v, i) => (v === null ? [] : [[v, doc.fit[m]?.[i] ?? NaN] as const]));
    return [formatNumber(seen.reduce((a, [v]) => a + v, 0)), formatNumber(seen.reduce((a, [, f]) => a + f, 0))];
  });
  const headers = ['STEP', ...metrics.flatMap((m) => [`${m} OBS`, `${m} FIT`])];
  const align: Align[] = headers.map(() => 'right');
  return table(headers, [...rows, ['TOTAL', ...totals]], align);
}

/** What the readable report shows beyond the document. */
export interface CalibrationExtras extends SummaryExtras {
  readonly csv: ObservedCsv;
  readonly lossName: string;
  /** --epochs. */
  readonly maxEpochs: number;
  /** Every parameter's starting value. */
  readonly startAll: Readonly<Record<string, ParamValue>>;
  readonly description: ModelDescription;
}

/** The readable report of a calibration. */
export function renderCalibration(doc: CalibrateDocument, extras: CalibrationExtras): string {
  const { csv } = extras;
  const header = headerEntries({ ...doc, params: extras.startAll }, extras, 'start params', [
    ['observed', `${csv.file}: ${Object.keys(doc.observed).join(', ')} at ${csv.rows} steps (${csv.points} values)`],
    ['loss', `${extras.lossName}: ${formatNumber(doc.loss)} (first epoch ${formatNumber(doc.history[0]!)})`],
    ['epochs', `${doc.epochs} of ${extras.maxEpochs} (${STOPPED[doc.stopped]})`],
  ]);
  const params = table(
    ['PARAMETER', 'START', 'FITTED', 'BOUNDS'],
    Object.keys(doc.params).map((n) => [n, formatValue(doc.start[n]!), formatValue(doc.params[n]!), formatBounds(extras.description.parameters[n]!.bounds)]),
    ['left', 'right', 'right', 'left'],
  );
  return `${keyValues(header)}\n${params}\nObserved (OBS) vs fitted (FIT) values; TOTAL sums the observed steps:\n${fitTable(doc)}`;
}

export const calibrateCommand: Command = {
  name: 'calibrate',
  summary: 'fit parameters to observed data by gradient descent through the model',
  synopsis: 'calibrate <model>',
  usage: [
    'calibrate <model> --observed file.csv [--learnable a,b] [--epochs N] [--steps T] [--loss mse|poisson|negative-binomial]',
    '    [--learning-rate x] [--population <id>] [--agents N] [--seed S] [--param name=value ...]',
    '    [--backend auto|cpu|wasm|tensorflow|webgpu] [--json] [--out file.json] [--db file] [--redis url]',
  ],
  details: [
    'Fits the --learnable parameters (default: every learnable parameter of the model) so that the simulated',
    'metrics match the observed ones, starting from the --param values (else the defaults).',
    'Bounds are kept by reparameterisation; randomness is the same every epoch (the seed).',
    '',
    '--observed: a CSV file whose first row is a header. An optional column `step` or `day`',
    'gives the step of each row (positive, strictly increasing); without it the rows are',
    'steps 1, 2, 3... Every other column is a metric of the model; a cell is a number, or',
    "empty where unobserved. At least 2 data rows. The CSV of 'populace run --out x.csv' works.",
    `The last observed step is the horizon simulated: at most --steps T (default ${DEFAULT_MAX_OBSERVED_STEP.toLocaleString('en-US')});`,
    'a row beyond it is refused before anything is allocated, and the memory the gradient tape',
    'needs at that horizon is checked against the memory available before the population is built.',
    'The default loss is mse (as over MCP and GraphQL); --loss poisson or negative-binomial treats',
    'the data as counts (no negative values).',
    '',
    'Without --json: the fitted parameters (start, fitted, bounds), the loss, the epochs and why',
    'it stopped, and observed vs fitted values every ~10% of the steps with the totals. On a',
    'terminal, stderr shows one line per epoch: epoch 12/100  loss 1234.5  beta=0.071.',
    '',
    'With --json: one JSON document on stdout: { "model", "population", "agents", "seed",',
    '"backend", "steps", "loss", "params" (fitted), "start", "history" (loss per epoch),',
    '"epochs", "stopped", "fit": { "<metric>": [...] }, "observed": { "<metric>": [...] },',
    '"wallMs" }. --out file.json writes the same document atomically.',
    '',
    'Ctrl-C stops between epochs (exit 130) and prints the best parameters so far on stderr.',
    '',
    'The fit goes through the executor and calibrate operation the servers use; --db file.sqlite',
    'records it (kind calibrate, the fitted trajectory as its metrics) in that run store.',
  ].join('\n'),
  options: {
    observed: { type: 'string', value: 'file.csv', description: 'observed series, one column per metric (required)' },
    ...LEARNABLE_OPTIONS,
    epochs: operationOption(calibrateOperation, 'epochs'),
    steps: { type: 'string', value: 'T', description: `most steps to simulate: observed rows beyond T are refused (default ${DEFAULT_MAX_OBSERVED_STEP})` },
    loss: operationOption(calibrateOperation, 'loss'),
    'learning-rate': operationOption(calibrateOperation, 'learningRate', { placeholders: { learningRate: 'x' } }),
    ...SIMULATION_OPTIONS,
    db: DB_OPTION,
    redis: REDIS_OPTION,
    json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else' },
    out: { type: 'string', value: 'file.json', description: 'also write the JSON document to this file' },
  },
  async run(args, io) {
    const o = args.options;
    const simArgs = simulationArgs(args, 'calibrate', io);
    if (o.observed === undefined) usageError("calibrate: missing --observed <file.csv>, the data to fit. Write one with 'populace run <model> --out observed.csv', or see 'populace calibrate --help'.", { option: 'observed' });
    const epochs = fieldValue<number>(calibrateOperation, 'epochs', o.epochs as string | undefined);
    const loss = o.loss === undefined ? DEFAULT_LOSS : choiceValue('loss', o.loss as string, LOSSES);
    const learningRate = fieldValue<number | undefined>(calibrateOperation, 'learningRate', o['learning-rate'] as string | undefined, 'learning-rate');
    const requested = learnableValue(args);
    const out = o.out === undefined ? undefined : checkOutTarget(o.out as string, io.cwd, ['json']);
    const horizon = o.steps === undefined ? { maxStep: DEFAULT_MAX_OBSERVED_STEP, explicit: false } : { maxStep: positiveInteger('steps', o.steps as string), explicit: true };

    const job = await openJob(simArgs, io);
    const { description } = job;
    const metrics = Object.keys(description.metrics);
    // the memory of the gradient tape at the observed horizon is checked before the series are allocated
    const csv = await readObservedCsv(o.observed as string, io.cwd, { id: description.id, metrics }, { ...horizon, beforeAllocating: (steps) => job.checkMemory(steps, true) });
    const observed = checkObserved(csv, metrics, isCountLoss(loss));
    const names = requested ?? Object.keys(description.parameters).filter((n) => description.parameters[n]!.learnable);
    if (names.length === 0) usageError(`calibrate: model '${description.id}' has no learnable parameters to fit.`);
    const t0 = performance.now();
    const { kit, seen } = await openJobKit(job, io, { db: o.db as string | undefined, redis: o.redis as string | undefined });
    const status = createStatusLine({ stream: io.stderr, enabled: io.isTTY, columns: io.columns });
    try {
      const onEvent = (e: RunEvent) => {
        if (e.epoch) status.update(`epoch ${e.epoch.epoch}/${epochs}  loss ${formatNumber(e.epoch.loss)}  ${assignments(pick(e.epoch.params, names))}`);
      };
      const input = { ...job.request, observed, loss, epochs, ...(requested === undefined ? {} : { learnable: requested }), ...(learningRate === undefined ? {} : { learningRate }) };
      const { record, interrupted } = await followJob(kit, calibrateOperation, input, { signal: io.signal, onEvent });
      status.done();
      if (record.status === 'failed') throw seen()?.failure ?? jobError(record, job.estimate());
      const result = record.result as CalibrateOutcome | null;
      if (interrupted || !result) {
        const best = result ? `; best so far: loss ${formatNumber(result.loss)} with ${assignments(pick(result.params, names))}` : '';
        throw new PopulaceError('aborted', `calibrate interrupted (Ctrl-C) after ${result?.epochs ?? 0} of ${epochs} epochs${best}. Nothing was written.`);
      }
      const { agentsByType, backend, agents } = await jobFacts(record, seen(), description, simArgs.backend);
      const fit = kit.store.series(record.id).series;
      const startAll = record.params;
      const doc: CalibrateDocument = {
        model: record.model,
        population: seen()?.population ?? record.population,
        agents,
        seed: record.seed,
        backend: backend.name,
        ...(job.populationFile ? { populationDigest: job.populationFile.digest } : {}),
        steps: record.steps,
        loss: result.loss,
        params: pick(result.params, names),
        start: pick(startAll, names),
        history: result.history,
        epochs: result.epochs,
        stopped: result.stopped as CalibrationResult['stopped'],
        fit: Object.fromEntries(Object.keys(observed).map((m) => [m, fit[m]!])),
        observed,
        wallMs: roundMs(performance.now() - t0),
      };
      if (out) await writeAtomic(out.path, toJson(doc) + '\n');
      io.stdout.write(
        o.json
          ? toJson(doc) + '\n'
          : renderCalibration(doc, { agentsByType, backend, overridden: Object.keys(simArgs.params), outPath: out?.path, csv, lossName: loss, maxEpochs: epochs, startAll, description }),
      );
      return 0;
    } catch (error) {
      // an allocation that failed anyway: the numbers, not an internal error
      throw allocationError(error, `the simulation of ${description.id}`, job.estimate());
    } finally {
      status.done();
      await kit.close();
    }
  },
};
