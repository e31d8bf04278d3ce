/**
 * `populace run <model>`: runs one simulation and prints its metrics, as a
 * summary or as one JSON document, optionally writing them to a file.
 */
import { usageError } from '../args.js';
import { BEHAVIOR_OPTION, behaviorLines, behaviorReports, behaviorValues, runBehaviors, type BehaviorReport } from '../behaviors.js';
import { DB_OPTION, REDIS_OPTION } from '../cli-kit.js';
import { followJob, jobError, jobFacts, openJob, openJobKit } from '../executor-job.js';
import type { Command } from '../command.js';
import { toJson } from '../format.js';
import { checkOutTarget, metricsCsv, OUT_FORMATS, writeAtomic } from '../out-file.js';
import { allocationError } from '@populace/core';
import { metricsParquet, metricsTable, runOperation, type RunEvent } from '@populace/server-kit';
import { createProgressBar } from '../progress.js';
import { roundMs, SIMULATION_OPTIONS, simulationArgs, STEPS_OPTION, stepsValue } from '../simulation-options.js';
import { checkSnapshotArgs, SNAPSHOT_OPTIONS, snapshotArgs, writeSnapshot } from '../snapshot-out.js';
import { renderSummary, type RunDocument } from '../summary.js';

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
  usage: ['run <model> [--population <id>] [--agents N] [--steps T] [--seed S] [--param name=value ...]', '    [--behavior slot=archetype ...] [--backend auto|cpu|wasm|tensorflow|webgpu] [--json] [--out file.json|file.csv|file.parquet]', '    [--plot file.png|file.svg [--plot-metrics a,b]] [--db file] [--redis url]', '    [--snapshot names@steps --snapshot-out file.parquet|file.csv|file.json [--max-snapshot-cells N]]'],
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
    '',
    'The run goes through the executor and run_simulation operation the servers use. --db',
    'file.sqlite records it in that run store (populace-graphql/populace-mcp --db read it);',
    'without --db the store is in memory and no file is written.',
  ].join('\n'),
  options: {
    ...SIMULATION_OPTIONS,
    steps: STEPS_OPTION,
    behavior: BEHAVIOR_OPTION,
    db: DB_OPTION,
    redis: REDIS_OPTION,
    ...SNAPSHOT_OPTIONS,
    json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else' },
    out: { type: 'string', value: 'file', description: 'also write the result to a .json, .csv or .parquet file' },
    plot: { type: 'string', value: 'file', description: 'also draw the metrics to a .png or .svg chart' },
    'plot-metrics': { type: 'string', value: 'a,b', description: "with --plot: only these metrics (comma-separated)" },
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
    const job = await openJob(simArgs, io);
    const { description } = job;
    if (plotMetrics) {
      const known = Object.keys(description.metrics);
      const unknown = plotMetrics.filter((m) => !known.includes(m));
      if (unknown.length > 0) throw usageError(`--plot-metrics: ${unknown.map((m) => `'${m}'`).join(', ')} ${unknown.length > 1 ? 'are not metrics' : 'is not a metric'} of ${description.id}; expected names from [${known.join(', ')}].`);
    }
    job.checkMemory(steps, false);
    if (snapshot) checkSnapshotArgs(job, simArgs, snapshot, steps);
    const { slots, chatModel } = await runBehaviors(job.runtime, description.id, requestedBehaviors, io.env);
    let behaviors: Record<string, BehaviorReport> = {};
    const { kit, seen } = await openJobKit(job, io, { db: o.db as string | undefined, redis: o.redis as string | undefined, behaviorModel: chatModel, onEnd: (sim) => (behaviors = behaviorReports(sim, slots)), ...(snapshot ? { limits: { maxSnapshotCells: snapshot.maxCells } } : {}) });
    const bar = createProgressBar({ stream: io.stderr, enabled: io.isTTY, columns: io.columns });
    try {
      const started = performance.now();
      const onEvent = (e: RunEvent) => {
        if (e.type === 'progress' && e.step !== null) bar.update({ step: e.step, steps, totalSteps: e.step, elapsedMs: performance.now() - started, latest: e.latest ?? {} });
      };
      const scheduled = Object.keys(simArgs.schedules).length > 0;
      const input = { ...job.request, steps, ...(Object.keys(requestedBehaviors).length ? { behaviors: requestedBehaviors } : {}), ...(scheduled ? { schedules: simArgs.schedules } : {}), ...(snapshot ? { snapshot: snapshot.request } : {}) };
      const { record, interrupted } = await followJob(kit, runOperation, input, { signal: io.signal, onEvent });
      bar.done();
      // a failure is reported as thrown (its stack under POPULACE_DEBUG=1), else from the record
      if (record.status === 'failed') throw seen()?.failure ?? jobError(record, job.estimate());
      const metrics = kit.store.series(record.id).series as Record<string, number[]>;
      const { agentsByType, backend, agents } = await jobFacts(record, seen(), description, simArgs.backend);
      const done = interrupted ? Math.max(0, ...Object.values(metrics).map((m) => m.length)) : record.steps;
      const doc: RunDocument = { model: record.model, population: seen()?.population ?? record.population, ...(job.populationFile ? { populationDigest: job.populationFile.digest } : {}), agents, steps: done, seed: record.seed, backend: backend.name, params: seen()?.params ?? record.params, ...(Object.keys(behaviors).length ? { behaviors } : {}), ...(scheduled ? { schedules: simArgs.schedules } : {}), metrics, wallMs: roundMs(record.wallMs ?? performance.now() - started), ...(interrupted ? { interrupted: true } : {}) };
      if (out) await writeAtomic(out.path, out.format === 'json' ? toJson(doc) + '\n' : out.format === 'parquet' ? await metricsParquet(metricsTable(doc.metrics)) : metricsCsv(doc.metrics));
      if (plot) await writePlot(plot.path, plot.format as 'png' | 'svg', doc, plotMetrics, io.stderr);
      const taken = snapshot && record.result && 'snapshot' in record.result ? record.result.snapshot : undefined;
      if (snapshot && taken) await writeSnapshot(snapshot.target, taken);
      io.stdout.write(o.json ? toJson(doc) + '\n' : renderSummary(doc, { agentsByType, backend, overridden: Object.keys(simArgs.params), outPath: out?.path }));
      if (snapshot && taken && !o.json) io.stdout.write(`snapshot: ${taken.columns.map((c) => c.name).join(', ')} of ${taken.agents} agents after steps ${taken.steps.join(', ') || '(none reached)'} written to ${snapshot.target.path}\n`);
      if (interrupted) {
        io.stderr.write(`populace: interrupted (Ctrl-C) after ${done} of ${steps} steps; the metrics of those steps were ${out ? `written to ${out.path} and ` : ''}printed above.\n`);
        return 130;
      }
      return 0;
    } catch (error) {
      // an allocation that failed anyway: the numbers, not an internal error
      throw allocationError(error, `the simulation of ${description.id}`, job.estimate());
    } finally {
      bar.done();
      await kit.close();
    }
  },
};
