/**
 * The culling series of an `epi/h5n1` run, in the form the supply-chain
 * plugin consumes: birds culled per day, and what is left laying.
 */
import { PopulaceError, type ParamValue } from '@populace/core';

/** What `cullingSeries` returns: one value per simulated day. */
export interface CullingSeries {
  /** Birds culled each day. */
  readonly birdsCulled: readonly number[];
  /** Birds culled from step 0 to the end of each day. */
  readonly cumulativeBirdsCulled: readonly number[];
  /** Farms culled each day. */
  readonly culledFarms: readonly number[];
  /** Birds on farms that are not empty at the end of each day. */
  readonly layersInProduction: readonly number[];
  /** Day of the year of the first value (0 = 1 January), when the source is a simulation. */
  readonly startDay?: number;
}

/** A simulation of `epi/h5n1` (anything with its `metrics()` and `params`). */
export interface H5n1Run {
  metrics(): Record<string, number[]>;
  readonly params: Readonly<Record<string, ParamValue>>;
}

const REQUIRED = ['birdsCulled', 'cumulativeBirdsCulled', 'culledFarms', 'layersInProduction'] as const;

/**
 * The culling series of an `epi/h5n1` simulation, or of its metrics (e.g. `RunResult.metrics` or a
 * stored run's metrics).
 *
 * @throws PopulaceError `invalid-argument` when the metrics are not those of `epi/h5n1`.
 * @example
 * ```ts
 * await sim.run({ steps: 365 });
 * const { birdsCulled } = cullingSeries(sim); // birds culled per day, for the supply chain
 * ```
 */
export function cullingSeries(source: H5n1Run | Readonly<Record<string, readonly number[]>>): CullingSeries {
  const run = typeof (source as H5n1Run)?.metrics === 'function' ? (source as H5n1Run) : undefined;
  const metrics = run ? run.metrics() : (source as Readonly<Record<string, readonly number[]>>);
  if (metrics === null || typeof metrics !== 'object') {
    throw new PopulaceError('invalid-argument', `cullingSeries: expected an epi/h5n1 simulation or its metrics { ${REQUIRED.join(', ')}, ... }, received ${metrics === null ? 'null' : typeof metrics}.`);
  }
  const length = (metrics[REQUIRED[0]] as readonly number[] | undefined)?.length;
  for (const name of REQUIRED) {
    const series = metrics[name];
    if (!Array.isArray(series)) {
      throw new PopulaceError('invalid-argument', `cullingSeries: expected the metrics of epi/h5n1, which include '${name}'; received metrics [${Object.keys(metrics).join(', ')}]. Pass a simulation or run result of epi/h5n1.`, { details: { missing: name } });
    }
    const bad = series.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0);
    if (bad >= 0) throw new PopulaceError('invalid-argument', `cullingSeries: '${name}'[${bad}] expected a non-negative finite number, received ${String(series[bad])}.`, { details: { metric: name, index: bad } });
    if (series.length !== length) throw new PopulaceError('invalid-argument', `cullingSeries: expected series of one length, but '${name}' has ${series.length} values and '${REQUIRED[0]}' ${length}.`);
  }
  const copy = (name: (typeof REQUIRED)[number]) => Object.freeze([...(metrics[name] as readonly number[])]);
  const startDay = run?.params.startDay;
  return Object.freeze({
    birdsCulled: copy('birdsCulled'),
    cumulativeBirdsCulled: copy('cumulativeBirdsCulled'),
    culledFarms: copy('culledFarms'),
    layersInProduction: copy('layersInProduction'),
    ...(typeof startDay === 'number' ? { startDay } : {}),
  });
}
