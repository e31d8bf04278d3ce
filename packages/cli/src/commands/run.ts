/**
 * `populace run <model>`: runs one simulation and prints its metrics, as a
 * summary or as one JSON document, optionally writing them to a file.
 */
import { backendValue, paramValues, positiveInteger, seedValue, usageError } from '../args.js';
import type { Command } from '../command.js';
import { toJson } from '../format.js';
import { checkOutTarget, metricsCsv, writeAtomic } from '../out-file.js';
import { loadRuntime } from '../plugins.js';
import { createProgressBar } from '../progress.js';
import { renderSummary, type RunDocument } from '../summary.js';

/** Steps when --steps is not given. */
export const DEFAULT_STEPS = 30;
/** Seed when --seed is not given. */
export const DEFAULT_SEED = 0;

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
    population: { type: 'string', value: 'id', description: 'population to run on (default: none)' },
    agents: { type: 'string', value: 'N', description: "number of agents, a positive integer (default: the population's or the model's)" },
    steps: { type: 'string', value: 'T', description: `number of steps, a positive integer (default ${DEFAULT_STEPS})` },
    seed: { type: 'string', value: 'S', description: `random seed, an integer in [0, 4294967295] (default ${DEFAULT_SEED})` },
    param: { type: 'string', multiple: true, value: 'name=value', description: 'override a parameter; repeatable; a vector as a,b,c' },
    backend: { type: 'string', value: 'name', description: "tensor backend: auto, cpu, wasm or tensorflow (default: the config's, else auto)" },
    json: { type: 'boolean', description: 'print one JSON document on stdout and nothing else' },
    out: { type: 'string', value: 'file', description: 'also write the result to a .json or .csv file' },
  },
  async run(args, io) {
    const o = args.options;
    if (args.positionals.length === 0) usageError("run: missing the model argument. Usage: populace run <model> [options]; 'populace models' lists the models.");
    if (args.positionals.length > 1) usageError(`run: expected one model, received ${args.positionals.length} arguments: ${args.positionals.map((p) => JSON.stringify(p)).join(' ')}. Give options with their -- names, e.g. --steps 10.`);
    const model = args.positionals[0]!;
    const steps = o.steps === undefined ? DEFAULT_STEPS : positiveInteger('steps', o.steps as string);
    const seed = o.seed === undefined ? DEFAULT_SEED : seedValue(o.seed as string);
    const agents = o.agents === undefined ? undefined : positiveInteger('agents', o.agents as string);
    const params = paramValues((o.param as readonly string[] | undefined) ?? []);
    const backend = o.backend === undefined ? undefined : backendValue(o.backend as string);
    const out = o.out === undefined ? undefined : checkOutTarget(o.out as string, io.cwd);

    const { runtime } = await loadRuntime({ cwd: io.cwd, config: o.config as string | undefined, backend });
    const description = runtime.describeModel(model);
    const population = o.population as string | undefined;
    const sim = runtime.createSimulation({
      model,
      ...(population === undefined ? {} : { population }),
      ...(agents === undefined ? {} : { agents }),
      params,
      seed,
    });
    const bar = createProgressBar({ stream: io.stderr, enabled: io.isTTY, columns: io.columns });
    try {
      const result = await sim.run({ steps, ...(io.signal ? { signal: io.signal } : {}), onProgress: (p) => bar.update(p) });
      bar.done();
      const info = await sim.ready();
      const firstType = Object.keys(description.agentTypes)[0]!;
      const doc: RunDocument = {
        model: sim.model,
        population: sim.population ?? null,
        agents: info.agents[firstType] ?? 0,
        steps: result.steps,
        seed: sim.seed,
        backend: info.backend.name,
        params: sim.params,
        metrics: result.metrics,
        wallMs: Math.round(result.wallMs * 1000) / 1000,
      };
      if (out) await writeAtomic(out.path, out.format === 'json' ? toJson(doc) + '\n' : metricsCsv(doc.metrics));
      io.stdout.write(
        o.json ? toJson(doc) + '\n' : renderSummary(doc, { agentsByType: info.agents, backend: info.backend, overridden: Object.keys(params), outPath: out?.path }),
      );
      return 0;
    } finally {
      bar.done();
      sim.dispose();
    }
  },
};
