/**
 * `populace sensitivity <model>`: the derivative of one output (a metric reduced
 * over the steps) with respect to every learnable parameter (core's `sensitivity`,
 * by the estimator it names), ranked by elasticity.
 */
import { AGGREGATES, GRADIENT_ESTIMATORS, parseOutput, sensitivity, type Aggregate, type EstimatorChoice, type GradientAccuracy, type GradientEstimator, type ParamValue, type SensitivityEntry } from '@populace/core';
import { positiveInteger, usageError } from '../args.js';
import { learnableValue, LEARNABLE_OPTIONS } from '../learnable-option.js';
import type { Command } from '../command.js';
import { formatNumber, keyValues, table, toJson } from '../format.js';
import { createStatusLine } from '../progress.js';
import { roundMs, SIMULATION_OPTIONS, simulationArgs, simulationFacts, STEPS_OPTION, stepsValue, withSimulation } from '../simulation-options.js';
import { headerEntries, type SimulationDocument, type SummaryExtras } from '../summary.js';

/** The document `populace sensitivity --json` prints. */
export interface SensitivityDocument extends SimulationDocument {
  /** The differentiated output: the metric's series reduced by `agg`, and its value. */
  readonly output: { readonly metric: string; readonly agg: Aggregate; readonly value: number };
  /** One entry per learnable parameter (per entry of a time-varying one), ranked by |elasticity|. */
  readonly entries: readonly SensitivityEntry[];
  /** The estimator that computed the gradients. */
  readonly estimator: GradientEstimator;
  /** What is known of its accuracy against finite differences for this model and population. */
  readonly accuracy: GradientAccuracy;
  /** Wall time, including building the population, in milliseconds. */
  readonly wallMs: number;
}

/** The parameter's value as set (core reports it read back from a float32 tensor: 0.10000000149011612). */
function exactValue(params: Readonly<Record<string, ParamValue>>, e: SensitivityEntry): number {
  const v = params[e.param];
  const exact = typeof v === 'number' ? v : e.index === undefined ? undefined : v?.[e.index];
  return exact !== undefined && Math.fround(exact) === Math.fround(e.value) ? exact : e.value;
}

const label = (e: SensitivityEntry): string => (e.index === undefined ? e.param : `${e.param}[${e.index}]`);

/** The readable report: the output's value, then the ranked table. */
export function renderSensitivity(doc: SensitivityDocument, extras: SummaryExtras): string {
  const { metric, agg, value } = doc.output;
  const header = headerEntries(doc, extras, 'params', [['output', `${metric}:${agg} = ${formatNumber(value)}`]]);
  if (doc.entries.length === 0) return `${keyValues(header)}\nNo learnable parameters.\n`;
  const rows = doc.entries.map((e, i) => [String(i + 1), label(e), formatNumber(e.value), formatNumber(e.gradient), e.standardError === undefined ? '-' : formatNumber(e.standardError), e.elasticity === null ? '-' : formatNumber(e.elasticity)]);
  return [
    keyValues([...header, ['estimator', doc.estimator], ['accuracy', `${doc.accuracy.status}: ${doc.accuracy.note}`]]),
    table(['RANK', 'PARAMETER', 'VALUE', `d ${metric}:${agg} / d PARAM`, 'STD ERROR', 'ELASTICITY'], rows, ['right', 'left', 'right', 'right', 'right', 'right']),
    'Elasticity: the % change of the output for a 1% change of the parameter (- when the output is 0).\n',
  ].join('\n');
}

export const sensitivityCommand: Command = {
  name: 'sensitivity',
  summary: 'rank parameters by their effect on an output (gradients, with the estimator named)',
  synopsis: 'sensitivity <model>',
  usage: [
    'sensitivity <model> [--output metric[:agg]] [--steps T] [--learnable a,b] [--population <id>] [--agents N]',
    '    [--seed S] [--param name=value ...] [--estimator auto|straight-through|stochastic-derivative]',
    '    [--replicates N] [--backend auto|cpu|wasm|tensorflow|webgpu] [--json]',
  ],
  details: [
    `--output is a metric reduced over the steps by one of ${AGGREGATES.join(', ')} (e.g.`,
    'newInfections:sum, I:max); default: the model\'s first metric, summed. The simulation runs',
    '--steps steps at the --param values (else the defaults); the estimator then gives the',
    'derivative of the output with respect to every learnable parameter (each entry of a',
    'time-varying one, shown as name[i]) and its elasticity, (d output / output) / (d param / param).',
    '--estimator auto (default) uses the unbiased stochastic derivative on contact networks (about',
    'T/2 forward runs per replicate, with standard errors) and one straight-through reverse pass',
    'otherwise; straight-through is fast but biased on networks. The report names the estimator and',
    'its measured accuracy against finite differences (validated, approximate or unmeasured).',
    '',
    'Without --json: the output value and a table ranked by |elasticity|: rank, parameter, value,',
    'd output / d param, elasticity.',
    '',
    'With --json: one JSON document on stdout: { "model", "population", "agents", "steps", "seed",',
    '"backend", "params", "output": { "metric", "agg", "value" }, "entries": [ { "param",',
    '"index" (time-varying only), "value", "gradient", "standardError" (stochastic derivative),',
    '"elasticity" } ...ranked ], "estimator", "accuracy": { "status", "criterion", "deviations",',
    '"note" }, "wallMs" }.',
  ].join('\n'),
  options: {
    output: { type: 'string', value: 'metric[:agg]', description: `the output to differentiate; agg one of ${AGGREGATES.join(', ')} (default: the first metric, sum)` },
    steps: STEPS_OPTION,
    ...LEARNABLE_OPTIONS,
    estimator: { type: 'string', value: 'name', description: `auto (default), ${GRADIENT_ESTIMATORS.join(' or ')}` },
    replicates: { type: 'string', value: 'N', description: 'alternative paths per step of the stochastic derivative (default 2; more narrows its standard error)' },
    ...SIMULATION_OPTIONS,
    json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else' },
  },
  async run(args, io) {
    const o = args.options;
    const simArgs = simulationArgs(args, 'sensitivity', io);
    const steps = stepsValue(o.steps as string | undefined);
    const requested = learnableValue(args);
    const estimator = (o.estimator as string | undefined) ?? 'auto';
    if (estimator !== 'auto' && !GRADIENT_ESTIMATORS.includes(estimator as GradientEstimator)) {
      usageError(`--estimator: expected auto, ${GRADIENT_ESTIMATORS.join(' or ')}, received ${JSON.stringify(estimator)}.`, { option: 'estimator' });
    }
    const replicates = o.replicates === undefined ? undefined : positiveInteger('replicates', o.replicates as string);

    return withSimulation(simArgs, io, async (opened) => {
      const { description, sim } = opened;
      const metrics = Object.keys(description.metrics);
      if (metrics.length === 0) usageError(`sensitivity: model '${description.id}' declares no metrics to differentiate.`);
      const output = parseOutput((o.output as string | undefined) ?? `${metrics[0]}:sum`, metrics);
      opened.checkMemory(steps, true);
      const t0 = performance.now();
      const { facts, agentsByType, backend } = await simulationFacts(opened);
      const status = createStatusLine({ stream: io.stderr, enabled: io.isTTY, columns: io.columns });
      status.update(`sensitivity of ${output.metric}:${output.agg} over ${steps} steps (estimator ${estimator})...`);
      try {
        const result = await sensitivity(sim, { output, steps, estimator: estimator as EstimatorChoice, ...(replicates === undefined ? {} : { replicates }), ...(requested === undefined ? {} : { params: requested }) });
        status.done();
        const doc: SensitivityDocument = {
          model: facts.model,
          population: facts.population,
          ...(facts.populationDigest ? { populationDigest: facts.populationDigest } : {}),
          agents: facts.agents,
          steps: result.steps,
          seed: facts.seed,
          backend: facts.backend,
          params: sim.params,
          output: result.output,
          entries: result.entries.map((e) => ({ param: e.param, ...(e.index === undefined ? {} : { index: e.index }), value: exactValue(sim.params, e), gradient: e.gradient, ...(e.standardError === undefined ? {} : { standardError: e.standardError }), elasticity: e.elasticity })),
          estimator: result.estimator,
          accuracy: result.accuracy,
          wallMs: roundMs(performance.now() - t0),
        };
        io.stdout.write(o.json ? toJson(doc) + '\n' : renderSensitivity(doc, { agentsByType, backend, overridden: Object.keys(simArgs.params) }));
        return 0;
      } finally {
        status.done();
      }
    });
  },
};
