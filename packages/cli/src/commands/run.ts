/**
 * `populace run <model>`: runs one simulation and prints its metrics, as a
 * summary or as one JSON document, optionally writing them to a file.
 */
import { usageError } from '../args.js';
import { BEHAVIOR_OPTION, behaviorLines, behaviorValues, fillRunBehaviors } from '../behaviors.js';
import type { Command } from '../command.js';
import { toJson } from '../format.js';
import { checkOutTarget, metricsCsv, OUT_FORMATS, writeAtomic } from '../out-file.js';
import { metricsParquet } from '../parquet-out.js';
import { PopulaceError, runScheduled, type Progress } from '@populace/core';
import { createProgressBar } from '../progress.js';
import { roundMs, SIMULATION_OPTIONS, simulationArgs, simulationFacts, STEPS_OPTION, stepsValue, withSimulation } from '../simulation-options.js';
import { renderSummary, type RunDocument } from '../summary.js';
import { SNAPSHOT_OPTIONS, snapshotArgs, snapshotRecorder, writeSnapshot } from '../snapshot-out.js';

/** Draws the run's metrics (server-kit's charts, loaded only when --plot is given). */
async function writePlot(file: string, format: 'png' | 'svg', doc: RunDocument, metrics: readonly string[] | undefined, stderr: { write(text: string): unknown }): Promise<void> {
  const { plotMetrics } = await import('@populace/server-kit/plot');
  const title = `${doc.model}${doc.population ? ` on ${doc.population}` : ''}: ${doc.agents} agents, seed ${doc.seed}`;
  const image = await plotMetrics([{ label: doc.model, metrics: doc.metrics }], { format, title, ...(metrics ? { metrics } : {}) });
  for (const warning of image.warnings) stderr.write(`populace: --plot: ${warning}\n`);
  await writeAtomic(file, image.data, 'plot');
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a model and report its metrics',
  synopsis: 'run <model>',
  usage: ['run <model> [--population <id>] [--agents N] [--steps T] [--seed S] [--param name=value ...]', '    [--behavior slot=archetype ...] [--backend auto|cpu|wasm|tensorflow|webgpu] [--json] [--out file.json|file.csv|file.parquet]', '    [--plot file.png|file.svg [--plot-metrics a,b]]', '    [--snapshot names@steps --snapshot-out file.parquet|file.csv|file.json [--max-snapshot-cells N]]'],
  details: [
    '<model> is a full id (example/network-sir) or a bare one (network-sir) when only one',
    "plugin has it; 'populace models' lists them. Without --population the model runs on",
    'its own default number of agents, with no attributes or networks.',
    '',
    'Without --json: a summary (model, population, agents, steps, seed, backend and why it',
    'was chosen, parameters, wall time) and, per metric, its first, last, min and max value',
    'and the step of the max. A progress bar is drawn on stderr when it is a terminal and',
    'the run takes more than a second.',
    '',
    'With --json: exactly one JSON document on stdout: { "model", "population" (null when',
    'none), "agents", "steps", "seed", "backend", "params", "metrics": { "<name>": [one',
    'number per step] }, "wallMs" }.',
    '',
    '--out writes the result as well: .json the same document, .csv one row per step',
    '(header step,<metric>...), .parquet the same table as Parquet (step INT32, metrics DOUBLE).',
    'The file is written atomically; the directory must exist.',
    '',
    'Ctrl-C stops the run after the current step: the steps completed so far are printed and',
    'written to --out (the JSON has "interrupted": true) and the exit code is 130.',
    '',
    '--plot draws the metrics as a chart (one panel per metric, steps on x): .png (twice',
    'the chart size, for sharp text) or .svg. Written atomically like --out. --plot-metrics',
    'draws only the listed metrics (comma-separated names of the model\'s metrics).',
    '',
    "--behavior fills one of the model's behaviour slots ('populace models <id>' lists",
    'them) with an archetype, e.g. --behavior isolation=covid-isolation. An LLM archetype asks',
    'the chat model that POPULACE_LLM_PROVIDER (openai, anthropic, ollama, llama-cpp) names;',
    'with none set it uses its offline prior, and the summary says so. The JSON document',
    'then has "behaviors": { "<slot>": { "archetype", "behavior", "usage" } }.',
    '',
    '--snapshot keeps per-agent values: the named states (the model\'s agent properties, bare or',
    'as agents/<type>/<name>) or population attributes, after the listed steps, e.g. --snapshot',
    'infected,age@10,20,30. --snapshot-out writes them: .parquet or .csv one row per agent per',
    'step (columns step, agent, then one per name), .json as the servers return a snapshot.',
    'Unknown names (the valid ones are listed), steps past --steps and snapshots of more than',
    `--max-snapshot-cells values (agents x states x steps) are refused before anything runs.`,
  ].join('\n'),
  options: {
    ...SIMULATION_OPTIONS,
    steps: STEPS_OPTION,
    behavior: BEHAVIOR_OPTION,
    json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else' },
    out: { type: 'string', value: 'file', description: 'also write the result to a .json, .csv or .parquet file' },
    plot: { type: 'string', value: 'file', description: 'also draw the metrics to a .png or .svg chart' },
    'plot-metrics': { type: 'string', value: 'a,b', description: "with --plot: only these metrics (comma-separated)" },
    ...SNAPSHOT_OPTIONS,
  },
  async run(args, io) {
    const o = args.options;
    const simArgs = simulationArgs(args, 'run', io);
    const requestedBehaviors = behaviorValues((o.behavior as readonly string[] | undefined) ?? []);
    const steps = stepsValue(o.steps as string | undefined);
    const out = o.out === undefined ? undefined : checkOutTarget(o.out as string, io.cwd, OUT_FORMATS);
    const plot = o.plot === undefined ? undefined : checkOutTarget(o.plot as string, io.cwd, ['png', 'svg'], 'plot');
    const plotMetrics = o['plot-metrics'] === undefined ? undefined : (o['plot-metrics'] as string).split(',').map((m) => m.trim());
    if (plotMetrics !== undefined && plot === undefined) throw usageError('--plot-metrics needs --plot <file.png|file.svg>.');
    if (plotMetrics !== undefined && plotMetrics.some((m) => m === '')) throw usageError(`--plot-metrics expected comma-separated metric names, received '${o['plot-metrics'] as string}'.`);
    const snapshot = snapshotArgs(o, io, simArgs.composed !== undefined);
    return withSimulation(simArgs, io, async (opened) => {
      if (plotMetrics) {
        const known = Object.keys(opened.description.metrics);
        const unknown = plotMetrics.filter((m) => !known.includes(m));
        if (unknown.length > 0) throw usageError(`--plot-metrics: ${unknown.map((m) => `'${m}'`).join(', ')} ${unknown.length > 1 ? 'are not metrics' : 'is not a metric'} of ${opened.description.id}; expected names from [${known.join(', ')}].`);
      }
      opened.checkMemory(steps, false);
      const recorder = snapshot ? await snapshotRecorder(opened, snapshot, steps, simArgs.agents) : undefined;
      const reportBehaviors = await fillRunBehaviors(opened.runtime, opened.sim, requestedBehaviors, io.env);
      const bar = createProgressBar({ stream: io.stderr, enabled: io.isTTY, columns: io.columns });
      try {
        let interrupted = false;
        const started = performance.now();
        const runOptions = { steps, ...(io.signal ? { signal: io.signal } : {}), ...(recorder ? { afterStep: recorder.afterStep } : {}), onProgress: (p: Progress) => bar.update(p) };
        const scheduled = Object.keys(simArgs.schedules).length > 0;
        const result = await (scheduled ? runScheduled(opened.sim, simArgs.schedules, runOptions) : opened.sim.run(runOptions)).catch((error: unknown) => {
          // Ctrl-C: report the steps completed so far (the simulation keeps their metrics)
          if (!PopulaceError.isInstance(error) || error.code !== 'aborted') throw error;
          interrupted = true;
          const metrics = opened.sim.metrics();
          return { steps: Math.max(0, ...Object.values(metrics).map((m) => m.length)), metrics, wallMs: performance.now() - started };
        });
        bar.done();
        const { facts, agentsByType, backend } = await simulationFacts(opened);
        const { model, population, agents, seed, backend: backendName } = facts;
        const behaviors = reportBehaviors();
        const doc: RunDocument = { model, population, ...(facts.populationDigest ? { populationDigest: facts.populationDigest } : {}), agents, steps: result.steps, seed, backend: backendName, params: opened.sim.params, ...(Object.keys(behaviors).length ? { behaviors } : {}), ...(scheduled ? { schedules: simArgs.schedules } : {}), metrics: result.metrics, wallMs: roundMs(result.wallMs), ...(interrupted ? { interrupted: true } : {}) };
        if (out) await writeAtomic(out.path, out.format === 'json' ? toJson(doc) + '\n' : out.format === 'parquet' ? await metricsParquet(doc.metrics) : metricsCsv(doc.metrics));
        if (plot) await writePlot(plot.path, plot.format as 'png' | 'svg', doc, plotMetrics, io.stderr);
        if (snapshot && recorder) await writeSnapshot(snapshot.target, recorder.snapshot());
        io.stdout.write(o.json ? toJson(doc) + '\n' : renderSummary(doc, { agentsByType, backend, overridden: Object.keys(simArgs.params), outPath: out?.path }));
        if (snapshot && recorder && !o.json) io.stdout.write(`snapshot: ${recorder.plan.columns.map((c) => c.name).join(', ')} of ${recorder.agents} agents after steps ${recorder.snapshot().steps.join(', ') || '(none reached)'} written to ${snapshot.target.path}\n`);
        if (interrupted) {
          io.stderr.write(`populace: interrupted (Ctrl-C) after ${result.steps} of ${steps} steps; the metrics of those steps were ${out ? `written to ${out.path} and ` : ''}printed above.\n`);
          return 130;
        }
        return 0;
      } finally {
        bar.done();
      }
    });
  },
};
