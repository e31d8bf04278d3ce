/**
 * `populace run <model>`: runs one simulation and prints its metrics, as a
 * summary or as one JSON document, optionally writing them to a file.
 */
import { positiveInteger } from '../args.js';
import type { Command } from '../command.js';
import { toJson } from '../format.js';
import { checkOutTarget, metricsCsv, writeAtomic } from '../out-file.js';
import { createProgressBar } from '../progress.js';
import { DEFAULT_STEPS, roundMs, SIMULATION_OPTIONS, simulationArgs, simulationFacts, STEPS_OPTION, withSimulation } from '../simulation-options.js';
import { renderSummary, type RunDocument } from '../summary.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a model and report its metrics',
  synopsis: 'run <model>',
  usage: ['run <model> [--population <id>] [--agents N] [--steps T] [--seed S] [--param name=value ...]', '    [--backend auto|cpu|wasm|tensorflow] [--json] [--out file.json|file.csv]'],
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
    '(header step,<metric>...). The file is written atomically; the directory must exist.',
  ].join('\n'),
  options: {
    ...SIMULATION_OPTIONS,
    steps: STEPS_OPTION,
    json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else' },
    out: { type: 'string', value: 'file', description: 'also write the result to a .json or .csv file' },
  },
  async run(args, io) {
    const o = args.options;
    const simArgs = simulationArgs(args, 'run');
    const steps = o.steps === undefined ? DEFAULT_STEPS : positiveInteger('steps', o.steps as string);
    const out = o.out === undefined ? undefined : checkOutTarget(o.out as string, io.cwd);
    return withSimulation(simArgs, io, async (opened) => {
      const bar = createProgressBar({ stream: io.stderr, enabled: io.isTTY, columns: io.columns });
      try {
        const result = await opened.sim.run({ steps, ...(io.signal ? { signal: io.signal } : {}), onProgress: (p) => bar.update(p) });
        bar.done();
        const { facts, agentsByType, backend } = await simulationFacts(opened);
        const { model, population, agents, seed, backend: backendName } = facts;
        const doc: RunDocument = { model, population, agents, steps: result.steps, seed, backend: backendName, params: opened.sim.params, metrics: result.metrics, wallMs: roundMs(result.wallMs) };
        if (out) await writeAtomic(out.path, out.format === 'json' ? toJson(doc) + '\n' : metricsCsv(doc.metrics));
        io.stdout.write(o.json ? toJson(doc) + '\n' : renderSummary(doc, { agentsByType, backend, overridden: Object.keys(simArgs.params), outPath: out?.path }));
        return 0;
      } finally {
        bar.done();
      }
    });
  },
};
