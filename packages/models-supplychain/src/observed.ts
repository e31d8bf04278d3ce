/**
 * The observed 2022-2025 series `supplychain/eggs` is validated and
 * calibrated against (data/h5n1-egg-supply.json): BLS retail Grade A prices
 * (monthly), USDA national wholesale prices (dated quotes) and NASS table-egg
 * layer counts. Dates given loosely in the sources are pinned as noted.
 */
import { dayIndex } from './depopulation.js';

/** One observation: the day it describes (ISO), or the month for monthly averages (YYYY-MM). */
export interface Observation {
  readonly date: string;
  readonly value: number;
  readonly source: string;
  readonly note?: string;
}

export type ObservedMetric = 'retailPrice' | 'wholesalePrice' | 'layers';

/**
 * The observations by metric. Retail values are monthly averages (compared with the month's
 * simulated mean, and at mid-month when calibrating); the rest are point values.
 *
 * @example
 * ```ts
 * OBSERVED_PRICES.retailPrice.find((o) => o.date === '2025-03')!.value; // 6.23, the record
 * ```
 */
export const OBSERVED_PRICES: Readonly<Record<ObservedMetric, readonly Observation[]>> = Object.freeze({
  retailPrice: [
    { date: '2023-01', value: 4.82, source: 'ktvu_2025_04' },
    { date: '2024-02', value: 3.0, source: 'headtopics_2024', note: 'about' },
    { date: '2024-04', value: 2.86, source: 'ap_2025_05' },
    { date: '2025-01', value: 4.95, source: 'politifact_style_2025' },
    { date: '2025-02', value: 5.9, source: 'politifact_style_2025', note: 'about' },
    { date: '2025-03', value: 6.23, source: 'ap_2025_05' },
    { date: '2025-04', value: 5.12, source: 'ap_2025_05' },
  ],
  wholesalePrice: [
    { date: '2022-12-28', value: 5.37, source: 'rfdtv_2023', note: "'late Dec 2022', pinned to 28 December" },
    { date: '2023-05-04', value: 0.89, source: 'rfdtv_2023', note: "'first week May 2023', pinned to 4 May" },
    { date: '2023-06-30', value: 1.23, source: 'rfdtv_2023', note: "'end June 2023'" },
    { date: '2024-01-05', value: 1.07, source: 'politifact_style_2025' },
    { date: '2024-06-28', value: 1.96, source: 'eggnews_2024_07' },
    { date: '2025-01-17', value: 5.87, source: 'politifact_style_2025' },
    { date: '2025-02-28', value: 8.05, source: 'abc_2025_03' },
    { date: '2025-03-03', value: 8.17, source: 'politifact_style_2025' },
    { date: '2025-03-07', value: 6.85, source: 'politifact_style_2025' },
    { date: '2025-03-14', value: 4.15, source: 'abc_2025_03', note: 'the report of 14 March' },
    { date: '2025-03-21', value: 3.27, source: 'politifact_style_2025' },
    { date: '2025-04-18', value: 3.13, source: 'newsmax_2025_04', note: 'the week before Easter' },
  ],
  layers: [
    { date: '2022-03-01', value: 323_000_000, source: 'nass_2022_03' },
    { date: '2024-01-01', value: 312_000_000, source: 'nass_2024_01' },
    { date: '2024-09-01', value: 307_000_000, source: 'nass_2024_09' },
    { date: '2024-12-01', value: 311_000_000, source: 'nass_2024_12' },
    { date: '2025-01-01', value: 304_000_000, source: 'eggnews_ers_2025_06' },
    { date: '2025-04-01', value: 287_000_000, source: 'nass_2025_04' },
    { date: '2025-06-18', value: 286_800_000, source: 'eggnews_ers_2025_06' },
    { date: '2025-09-15', value: 300_800_000, source: 'eggnews_ers_2025_09' },
    { date: '2025-12-31', value: 301_000_000, source: 'eggnews_ers_2026_01' },
  ],
});

/** The day index (0 = 1 January 2022) an observation is placed at: its date, or the 15th of its month. */
export function observationDay(o: Observation): number {
  return dayIndex(o.date.length === 7 ? `${o.date}-15` : o.date);
}

/** The days of a monthly observation's month, [first, last]. */
function monthDays(month: string): [number, number] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = dayIndex(`${month}-01`);
  return [first, first + new Date(Date.UTC(y, m, 0)).getUTCDate() - 1];
}

/**
 * The observations as calibration series: one slot per day from 1 January 2022 for `steps` days,
 * null where unobserved (the shape `calibrate`'s `observed` takes).
 */
export function observedSeries(steps: number, metrics: readonly ObservedMetric[] = ['retailPrice', 'wholesalePrice']): Record<string, (number | null)[]> {
  return Object.fromEntries(
    metrics.map((name) => {
      const series = new Array<number | null>(steps).fill(null);
      for (const o of OBSERVED_PRICES[name]) {
        const d = observationDay(o);
        if (d >= 0 && d < steps) series[d] = o.value;
      }
      return [name, series];
    }),
  );
}

/**
 * Mean |log(simulated / observed)| over the observations inside the simulated days: monthly
 * observations against the month's mean, point observations against their day.
 */
export function meanAbsLogError(simulated: readonly number[], name: ObservedMetric): { error: number; points: number; byObservation: { date: string; observed: number; simulated: number }[] } {
  const byObservation: { date: string; observed: number; simulated: number }[] = [];
  for (const o of OBSERVED_PRICES[name]) {
    const [a, b] = o.date.length === 7 ? monthDays(o.date) : [observationDay(o), observationDay(o)];
    if (a < 0 || b >= simulated.length) continue;
    const days = simulated.slice(a, b + 1);
    byObservation.push({ date: o.date, observed: o.value, simulated: days.reduce((s, v) => s + v, 0) / days.length });
  }
  const error = byObservation.reduce((s, o) => s + Math.abs(Math.log(o.simulated / o.observed)), 0) / Math.max(1, byObservation.length);
  return { error, points: byObservation.length, byObservation };
}
