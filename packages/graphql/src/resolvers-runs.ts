/**
 * Resolvers of recorded runs: the `runs`, `run` and `compareRuns` queries
 * and the Run type with its metrics and results. A Run's parent object is
 * the server-kit's RunRecord.
 */
import { PopulaceError, type Runtime } from '@populace/core';
import { compareRuns, getMetrics, runFileNames, runFilePath, runSnapshot, type CalibrateOutcome, type ComparisonTable, type DownsampleMethod, type MetricsSlice, type RunFilter, type RunKind, type RunFileName, type RunRecord, type RunStatus, type RunStore, type ScenariosOutcome, type SensitivityOutcome, type SeriesSummary } from '@populace/server-kit';
import { finite, given, paramList, progressOut, seriesList } from './values.js';

/** The largest page `runs` returns. */
export const MAX_RUNS_PAGE = 100;

interface RunsArgs {
  readonly filter?: { status?: RunStatus[] | null; kind?: RunKind[] | null; model?: string | null; parentId?: string | null; topLevel?: boolean | null } | null;
  readonly first: number;
  readonly offset: number;
}

interface MetricsArgs {
  readonly names?: string[] | null;
  readonly from?: number | null;
  readonly to?: number | null;
  readonly maxPoints?: number | null;
  readonly method: DownsampleMethod;
}

const summary = (s: SeriesSummary) => ({ final: finite(s.final), peak: finite(s.peak), peakStep: finite(s.peakStep), total: finite(s.total) });

/** A comparison table with every number GraphQL-safe. */
export function comparisonOut(table: ComparisonTable) {
  return {
    baseline: table.baseline,
    metrics: table.metrics,
    rows: table.rows.map((r) => ({
      metric: r.metric,
      label: r.label,
      runIds: r.runIds,
      ...summary(r),
      delta: r.delta ? summary(r.delta) : null,
      relative: r.relative ? { final: finite(r.relative.final), peak: finite(r.relative.peak), total: finite(r.relative.total) } : null,
    })),
  };
}

function runFilter(runtime: Runtime, args: RunsArgs): RunFilter {
  const f = args.filter ?? {};
  const out: { -readonly [K in keyof RunFilter]: RunFilter[K] } = {};
  for (const key of ['status', 'kind'] as const) {
    const values = given(f[key]);
    if (values === undefined) continue;
    if (values.length === 0) throw new PopulaceError('invalid-argument', `runs: filter.${key} expected at least one value, received an empty list. Leave it out to list runs of every ${key}.`, { details: { field: `filter.${key}` } });
    (out as Record<string, unknown>)[key] = values;
  }
  const model = given(f.model);
  if (model !== undefined) {
    try {
      out.model = runtime.models.get(model).id;
    } catch (error) {
      // a model no installed plugin contributes any more: its runs are still recorded under its full id
      if (!(PopulaceError.isInstance(error) && error.code === 'unknown-id')) throw error;
      out.model = model;
    }
  }
  const parentId = given(f.parentId);
  if (parentId !== undefined && f.topLevel === true) throw new PopulaceError('invalid-argument', 'runs: filter.parentId and filter.topLevel: true exclude each other (runs of a sweep are not top-level). Give one of them.');
  if (parentId !== undefined) out.parentId = parentId;
  else if (f.topLevel === true) out.parentId = null;
  if (!Number.isSafeInteger(args.first) || args.first < 1 || args.first > MAX_RUNS_PAGE) {
    throw new PopulaceError('invalid-argument', `runs: first expected an integer in [1, ${MAX_RUNS_PAGE}], received ${args.first}. Page through more with offset.`, { details: { field: 'first' } });
  }
  if (!Number.isSafeInteger(args.offset) || args.offset < 0) throw new PopulaceError('invalid-argument', `runs: offset expected a non-negative integer, received ${args.offset}.`, { details: { field: 'offset' } });
  return { ...out, limit: args.first, offset: args.offset };
}

const resultOf = <T>(r: RunRecord, kind: RunKind): T | null => (r.kind === kind && r.result ? (r.result as T) : null);

/** Query fields and type resolvers of runs. */
export function runResolvers(kit: { readonly runtime: Runtime; readonly store: RunStore }) {
  const { store } = kit;
  return {
    Query: {
      runs: (_: unknown, args: RunsArgs) => {
        const { runs, total } = store.list(runFilter(kit.runtime, args));
        return { runs, total, offset: args.offset, hasMore: args.offset + runs.length < total };
      },
      run: (_: unknown, { id }: { id: string }): RunRecord => store.require(id),
      compareRuns: (_: unknown, { ids, metrics }: { ids: string[]; metrics?: string[] | null }) => comparisonOut(compareRuns(store, ids, { metrics: given(metrics) })),
    },
    Run: {
      parent: (r: RunRecord) => (r.parentId === null ? null : (store.get(r.parentId) ?? null)),
      params: (r: RunRecord) => paramList(r.params),
      progress: (r: RunRecord) => progressOut(r.progress),
      metrics: (r: RunRecord, a: MetricsArgs): MetricsSlice =>
        getMetrics(store, r.id, { names: given(a.names), from: given(a.from), to: given(a.to), maxPoints: given(a.maxPoints), method: a.method }),
      calibration: (r: RunRecord) => {
        const c = resultOf<CalibrateOutcome>(r, 'calibrate');
        return c && { params: paramList(c.params), start: paramList(c.start), loss: finite(c.loss), history: c.history.map(finite), epochs: c.epochs, stopped: c.stopped };
      },
      sensitivity: (r: RunRecord) => {
        const s = resultOf<SensitivityOutcome>(r, 'sensitivity');
        return (
          s && {
            output: { metric: s.output.metric, aggregate: s.output.agg, value: finite(s.output.value) },
            entries: s.entries.map((e) => ({ param: e.param, index: e.index ?? null, value: finite(e.value), gradient: finite(e.gradient), elasticity: finite(e.elasticity), standardError: e.standardError === undefined ? null : finite(e.standardError) })),
            estimator: s.estimator ?? null,
            accuracy: s.accuracy ?? null,
          }
        );
      },
      snapshot: (r: RunRecord) => runSnapshot(r) ?? null,
      files: (r: RunRecord) => {
        const has = runFileNames(r);
        const url = (f: RunFileName) => (has.includes(f) ? runFilePath(r.id, f) : null);
        return { metricsCsv: url('metrics.csv'), metricsParquet: url('metrics.parquet'), snapshotParquet: url('snapshot.parquet'), bandsParquet: url('bands.parquet') };
      },
      scenarios: (r: RunRecord) => {
        const s = resultOf<ScenariosOutcome>(r, 'scenarios');
        return s && { scenarios: s.scenarios.map((x) => ({ name: x.name, params: paramList(x.params), runIds: x.runIds })), seeds: s.seeds, table: s.table ? comparisonOut(s.table) : null };
      },
    },
    ScenarioOutcome: {
      runs: (s: { runIds: readonly string[] }) => s.runIds.map((id) => store.get(id)).filter((r): r is RunRecord => r !== undefined),
    },
    MetricsSlice: {
      series: (m: MetricsSlice) => seriesList(m.series, m.names),
    },
  };
}
