/**
 * `populace sweep <model>`: server-kit's sweep operation on the command line
 * (options and checks derived from its declaration): a parameter grid times a
 * seed ensemble, run through the executor, reported as median, 50% and 95%
 * bands per metric and step.
 */
import { parseSchedule } from '@populace/core';
import path from 'node:path';
import { sweepOperation, sweepParquet, type SweepDocument } from '@populace/server-kit';
import { usageError, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { toJson } from '../format.js';
import { operationInput, operationOptions, type OperationCli } from '../operation-options.js';
import { checkOutTarget, OUT_FORMATS, writeAtomic } from '../out-file.js';
import { loadRuntime, pluginArgs } from '../plugins.js';
import { createStatusLine } from '../progress.js';
import { backendValue } from '../args.js';
import { DB_OPTION, openCliKit, REDIS_OPTION } from '../cli-kit.js';
import { sweepCsv } from '../sweep-table.js';

const CLI: OperationCli = {
  positional: 'model',
  rename: { params: 'param' },
  omit: ['schedules'],
  placeholders: { population: 'id', seed: 'S', seeds: 'K|a..b', steps: 'T', params: 'name=value', vary: 'name=v1,v2,...', label: 'text' },
};

/** `text` broken into lines of at most `width` characters. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** `--seeds a..b` is `--seed a --seeds b-a+1`. */
function withSeedRange(args: ParsedArgs): ParsedArgs {
  const text = args.options.seeds;
  const range = typeof text === 'string' ? /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text) : null;
  if (!range) return args;
  const [from, to] = [Number(range[1]), Number(range[2])];
  if (args.options.seed !== undefined) usageError(`--seeds ${text} gives the seeds itself; drop --seed ${String(args.options.seed)}.`, { option: 'seeds' });
  if (to < from) usageError(`--seeds: expected a range a..b with a <= b, received ${JSON.stringify(text)}.`, { option: 'seeds', received: text });
  return { ...args, options: { ...args.options, seed: String(from), seeds: String(to - from + 1) } };
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'run a parameter grid over many seeds and report uncertainty bands',
  synopsis: 'sweep <model>',
  usage: ['sweep <model> [--population <id>] [--agents N] [--steps T] [--vary name=v1,v2,...]... [--seeds K|a..b]', '    [--seed S] [--param name=value ...] [--db file] [--redis url] [--json]', '    [--out file.json|file.csv|file.parquet] [--plot file.png|file.svg]'],
  details: [
    wrap(sweepOperation.description, 92),
    '',
    '--vary name=v1,v2 adds a grid axis (repeatable; every combination is a point). --seeds K runs',
    'K seeds per point from --seed (default 0); --seeds 1..20 runs seeds 1 to 20. --param',
    'name=value@step,value@step schedules a parameter in every run, as for populace run.',
    '',
    'Without --json: per point and metric, the last step\'s median and bands. With --json: one',
    'JSON document { "runId", "model", "population", "agents", "steps", "seeds", "metrics",',
    '"points": [{ "name", "params", "runIds", "runsDone", "bands": { "<metric>": { "median",',
    '"q25", "q75", "q025", "q975" } } }] }, one number per step in each band.',
    '',
    '--out .json writes that document, .csv one row per point, metric and step (columns point,',
    'the varied parameters, metric, step, median, q25, q75, q025, q975), .parquet the same',
    'table as Parquet. --plot draws the bands (median line, 50% and 95% areas).',
    'Runs are recorded in an in-memory run store, or in --db <file> (SQLite) to keep them.',
    '--redis redis://host:port puts the runs on that Redis queue for populace-worker processes',
    '(started with the same plugins) instead of running them in this process.',
    'Ctrl-C stops the sweep; the bands of the runs that finished are still printed and written.',
  ].join('\n'),
  options: {
    ...operationOptions(sweepOperation, CLI),
    backend: { type: 'string', value: 'name', description: "tensor backend: auto, cpu, wasm or tensorflow (default: the config's, else auto)" },
    db: DB_OPTION,
    redis: REDIS_OPTION,
    json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else' },
    out: { type: 'string', value: 'file', description: 'also write the bands to a .json, .csv or .parquet file' },
    plot: { type: 'string', value: 'file', description: 'also draw the bands to a .png or .svg chart' },
  },
  async run(args, io) {
    const o = args.options;
    // --param name=value@step,... is a schedule (core's parser), the others plain values
    const texts = (o.param as readonly string[] | undefined) ?? [];
    const isSchedule = (t: string) => t.slice(t.indexOf('=') + 1).includes('@');
    const schedules = Object.fromEntries(texts.filter(isSchedule).map((t) => [t.slice(0, t.indexOf('=')).trim(), parseSchedule(t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1))]));
    const plain = { ...withSeedRange(args), options: { ...withSeedRange(args).options, param: texts.filter((t) => !isSchedule(t)) } };
    const input = operationInput(sweepOperation, plain, CLI, Object.keys(schedules).length > 0 ? { schedules } : {});
    const out = o.out === undefined ? undefined : checkOutTarget(o.out as string, io.cwd, OUT_FORMATS);
    const plot = o.plot === undefined ? undefined : checkOutTarget(o.plot as string, io.cwd, ['png', 'svg'], 'plot');
    const backend = o.backend === undefined ? undefined : backendValue(o.backend as string);
    const { runtime } = await loadRuntime({ ...pluginArgs(args, io), backend });
    const kit = await openCliKit(runtime, { db: o.db === undefined ? undefined : path.resolve(io.cwd, o.db as string), redis: o.redis as string | undefined });
    const bar = createStatusLine({ stream: io.stderr, enabled: io.isTTY, columns: io.columns });
    const ctx = { ...kit, signal: io.signal, onProgress: (done: number, total: number) => bar.update(`sweep: ${done}/${total} runs`) };
    let doc: SweepDocument;
    try {
      doc = await sweepOperation.run(input, ctx);
    } finally {
      bar.done();
      await kit.close();
    }
    if (out) await writeAtomic(out.path, out.format === 'json' ? toJson(doc) + '\n' : out.format === 'parquet' ? await sweepParquet(doc) : sweepCsv(doc));
    if (plot) {
      const { plotBands } = await import('@populace/server-kit/plot');
      const image = await plotBands(doc.points.map((p) => ({ label: p.name, bands: p.bands })), { format: plot.format as 'png' | 'svg', title: `${doc.model}: ${doc.seeds.length} seeds per point, median, 50% and 95% bands` });
      for (const warning of image.warnings) io.stderr.write(`populace: --plot: ${warning}\n`);
      await writeAtomic(plot.path, image.data, 'plot');
    }
    io.stdout.write(o.json ? toJson(doc) + '\n' : sweepOperation.text(doc, ctx) + '\n');
    if (doc.interrupted) {
      io.stderr.write(`populace: interrupted (Ctrl-C): the sweep stopped; the bands above cover the ${doc.points.reduce((n, p) => n + p.runsDone, 0)} runs that finished${out ? ` (written to ${out.path})` : ''}.\n`);
      return 130;
    }
    return 0;
  },
};
