/**
 * sweep: a parameter grid and a seed ensemble, run through the executor as
 * one scenarios job (so the run store records every run and the server's
 * limits bound it), reported as uncertainty bands across seeds per metric
 * per step.
 */
import { PopulaceError, type PopulaceErrorCode } from '@populace/core';
import { z } from 'zod';
import type { ScenariosOutcome } from '../run-record.js';
import { ensembleBands } from './sweep-bands.js';
import { defineOperation } from './define-operation.js';
import { schedulesField, simulationFields, stepsField } from './job-fields.js';

const band = z.array(z.number().nullable());
const bandsSchema = z.object({ median: band, q25: band, q75: band, q025: band, q975: band });

/** Seeds of an ensemble when a sweep gives none. */
export const DEFAULT_SWEEP_SEEDS = 10;

const input = z.object({
  model: simulationFields.model,
  population: simulationFields.population,
  agents: simulationFields.agents.describe("Agents of each run (default: the population's or the model's)."),
  steps: stepsField.describe('Steps of each run.'),
  seed: simulationFields.seed.describe('The first seed; each point runs seed, seed+1 and so on.'),
  seeds: z.number().int().min(1).max(10_000).default(DEFAULT_SWEEP_SEEDS).describe('Seeds per grid point.'),
  params: simulationFields.params.describe('Parameters every run shares, name -> value.'),
  vary: z
    .record(z.string(), z.array(z.number()).min(1).refine((v) => new Set(v).size === v.length, 'expected distinct values'))
    .optional()
    .describe('The grid, name -> list of values; every combination is a point (none: one point, an ensemble).'),
  schedules: schedulesField,
  label: simulationFields.label.describe('A label for the sweep.'),
});

const point = z.object({ name: z.string(), params: z.record(z.string(), z.number()), runIds: z.array(z.string()), runsDone: z.number(), bands: z.record(z.string(), bandsSchema) });

/** Every combination of the grid's values, in the order the names and values were given. */
export function gridPoints(vary: Readonly<Record<string, readonly number[]>>): Record<string, number>[] {
  let points: Record<string, number>[] = [{}];
  for (const [name, values] of Object.entries(vary)) points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  return points;
}

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : Number(v.toPrecision(4)).toString());

/** sweep: a grid of parameters times an ensemble of seeds, as quantile bands. */
export const sweepOperation = defineOperation({
  name: 'sweep',
  title: 'Sweep parameters over seeds',
  description:
    'Runs a model on every point of a parameter grid (vary) with several seeds each, and reports per metric and step the median and the 50% (q25-q75) and 95% (q025-q975) bands across seeds. Without vary it is an ensemble of one scenario. Every run is recorded; the runs count against the server limit on sweep runs.',
  readOnly: false,
  input,
  output: z.object({
    runId: z.string(),
    status: z.enum(['done', 'cancelled', 'failed']),
    interrupted: z.boolean(),
    model: z.string(),
    population: z.string().nullable(),
    agents: z.number(),
    steps: z.number(),
    seeds: z.array(z.number()),
    metrics: z.array(z.string()),
    points: z.array(point),
  }),
  text: (o) => {
    const head = `sweep ${o.runId} of ${o.model}${o.population ? ` on ${o.population}` : ''}: ${o.points.length} point(s) x ${o.seeds.length} seed(s), ${o.agents} agents, ${o.steps} steps${o.interrupted ? ' (interrupted: the bands cover the runs that finished)' : ''}.`;
    const lines = o.points.flatMap((p) => [
      `${p.name} (${p.runsDone} of ${p.runIds.length} runs):`,
      ...o.metrics.map((m) => {
        const b = p.bands[m]!;
        const t = b.median.length - 1;
        return `  ${m} at step ${t + 1}: median ${fmt(b.median[t])}, 50% [${fmt(b.q25[t])}, ${fmt(b.q75[t])}], 95% [${fmt(b.q025[t])}, ${fmt(b.q975[t])}]`;
      }),
    ]);
    return [head, ...lines].join('\n');
  },
  run: async (req, { executor, store, signal, onProgress }) => {
    const grid = gridPoints(req.vary ?? {});
    const first = req.seed ?? 0;
    const count = req.seeds ?? DEFAULT_SWEEP_SEEDS;
    if (first + count - 1 > 0xffffffff) throw new PopulaceError('invalid-argument', `sweep: seeds ${first}..${first + count - 1} pass 4294967295; start from a lower seed or use fewer seeds.`);
    const seeds = Array.from({ length: count }, (_, i) => first + i);
    const name = (p: Record<string, number>, i: number): string => {
      const text = Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
      return text === '' ? 'ensemble' : text.length <= 100 ? text : `point-${i + 1}`;
    };
    const scenarios = grid.map((p, i) => ({ name: name(p, i), params: p }));
    const record = executor.submit({ kind: 'scenarios', model: req.model, population: req.population, agents: req.agents, steps: req.steps, seed: first, params: req.params, schedules: req.schedules, label: req.label, scenarios, seeds });
    const stop = () => void executor.cancel(record.id).catch(() => undefined);
    signal?.addEventListener('abort', stop, { once: true });
    const unsubscribe = onProgress ? executor.subscribe((e) => onProgress(e.progress.done, e.progress.total), { runId: record.id }) : () => undefined;
    let end;
    try {
      if (signal?.aborted) stop();
      end = await executor.wait(record.id);
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', stop);
    }
    const interrupted = end.status === 'cancelled' || end.error?.code === 'interrupted';
    if (end.status === 'failed' && !interrupted) {
      const message = `sweep ${end.id}: ${end.error?.message ?? 'failed'}`;
      // an internal failure stays an Error (servers mask it); a PopulaceError keeps its code
      if (!end.error || end.error.code === 'internal') throw new Error(message);
      throw new PopulaceError(end.error.code as PopulaceErrorCode, message, { details: { runId: end.id } });
    }
    const outcome = end.result as ScenariosOutcome | null;
    const points = scenarios.map((s, i) => {
      const runIds = [...(outcome?.scenarios.find((o) => o.name === s.name)?.runIds ?? [])];
      const done = runIds.filter((id) => store.require(id).status === 'done');
      const series = done.map((id) => store.series(id).series);
      return { name: s.name, params: grid[i]!, runIds, runsDone: done.length, bands: Object.fromEntries(end.metricNames.map((m) => [m, ensembleBands(series.map((x) => x[m] ?? []))])) };
    });
    return { runId: end.id, status: end.status as 'done' | 'cancelled' | 'failed', interrupted, model: end.model, population: end.population, agents: end.agents, steps: end.steps, seeds, metrics: [...end.metricNames], points };
  },
});
