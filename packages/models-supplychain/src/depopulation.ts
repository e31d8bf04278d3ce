/**
 * Table-egg layers depopulated (culled) because of H5N1, 2022-2025, as the
 * daily input `layersLost` of `supplychain/eggs`. Monthly or period totals
 * from data/h5n1-egg-supply.json; where the data give only a year's total,
 * the rest of the year is spread over months by a stated assumption; within
 * a period, every day gets the same share.
 */

/** One period of culling: its first and last day (inclusive, ISO dates), layers culled, and where the number comes from. */
export interface CullPeriod {
  readonly from: string;
  readonly to: string;
  readonly layers: number;
  /** Source id in data/h5n1-egg-supply.json, or 'assumption'. */
  readonly source: string;
  readonly note: string;
}

/** First day of the default input (step 0 of `supplychain/eggs`). */
export const SERIES_START = '2022-01-01';
/** Days of the default input: 2022-01-01 to 2025-12-31. */
export const SERIES_DAYS = 1461;

const Y2022_REST = 43_400_000 - 16_910_000 - 10_700_000;
const Y2024_REST = 40_000_000 - 17_200_000;
const Y2025_REST = 42_300_000 - 30_272_800;

const rest2022 = (from: string, to: string): CullPeriod => ({ from, to, layers: Y2022_REST / 6, source: 'assumption', note: `the rest of 2022 (43.4M, watt_2024_layers, less March and April) spread equally over Feb, May and Sep-Dec (no layer losses named for them; the summer lull follows the data's seasonality notes)` });
const rest2024 = (from: string, to: string): CullPeriod => ({ from, to, layers: Y2024_REST / 3, source: 'assumption', note: '2024 total 40M (eggnews_ers_2025_06) less Jan-Aug 17.2M (watt_2024_layers), spread equally over Oct-Dec (a ~6-week lull after 19 July 2024, watt_2024_layers; fall season)' });

/**
 * The culling periods behind the default `layersLost` input.
 *
 * @example
 * ```ts
 * CULL_PERIODS.find((p) => p.from === '2022-03-01')!.layers; // 16.91M (watt_2024_layers)
 * ```
 */
export const CULL_PERIODS: readonly CullPeriod[] = Object.freeze([
  rest2022('2022-02-08', '2022-02-28'),
  { from: '2022-03-01', to: '2022-03-31', layers: 16_910_000, source: 'watt_2024_layers', note: 'March 2022: 16.91M layers over 8 flocks' },
  { from: '2022-04-01', to: '2022-04-30', layers: 10_700_000, source: 'watt_2024_layers', note: 'April 2022: 10.7M over 10 flocks' },
  rest2022('2022-05-01', '2022-05-31'),
  rest2022('2022-09-01', '2022-09-30'),
  rest2022('2022-10-01', '2022-10-31'),
  rest2022('2022-11-01', '2022-11-30'),
  rest2022('2022-12-01', '2022-12-31'),
  { from: '2023-11-01', to: '2023-11-30', layers: 5_100_000, source: 'watt_2024_layers', note: 'November 2023: 5.1M over 5 flocks (no layer outbreak earlier in 2023)' },
  { from: '2023-12-01', to: '2023-12-31', layers: 7_800_000, source: 'watt_2024_layers', note: 'December 2023: 7.8M over 11 flocks' },
  { from: '2024-04-01', to: '2024-04-30', layers: 8_400_000, source: 'watt_2024_layers', note: 'April 2024: 8.4M over 4 flocks' },
  { from: '2024-05-01', to: '2024-05-31', layers: 5_700_000, source: 'watt_2024_layers', note: 'May 2024: 5.7M over 2 flocks' },
  { from: '2024-07-01', to: '2024-07-31', layers: 3_100_000, source: 'watt_2024_layers', note: 'July 2024: 3.1M over 2 flocks' },
  rest2024('2024-10-01', '2024-10-31'),
  rest2024('2024-11-01', '2024-11-30'),
  rest2024('2024-12-01', '2024-12-31'),
  { from: '2025-01-01', to: '2025-03-15', layers: 30_272_800, source: 'integrityright_2025', note: 'layers lost in 2025 by mid-March' },
  { from: '2025-03-16', to: '2025-05-31', layers: Y2025_REST / 2, source: 'assumption', note: '2025 total 42.3M (eggnews_ers_2026_01) less the 30.27M by mid-March: half in the rest of the spring season' },
  { from: '2025-10-01', to: '2025-12-31', layers: Y2025_REST / 2, source: 'assumption', note: 'the other half in the fall season (no commercial detections in the 30 days before ~1 Sept 2025, afbf_2025_09)' },
]);

const DAY_MS = 86_400_000;

/** Days from `SERIES_START` to an ISO date (negative before it). */
export function dayIndex(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${SERIES_START}T00:00:00Z`)) / DAY_MS);
}

/** The ISO date of a day index (0 = SERIES_START). */
export function dateOf(day: number): string {
  return new Date(Date.parse(`${SERIES_START}T00:00:00Z`) + day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Layers culled each day from `SERIES_START` for `days` days (default the whole 2022-2025 series),
 * each period's total spread equally over its days; `scale` multiplies every value (a counterfactual).
 *
 * @example
 * ```ts
 * const lost = dailyLayersLost(); // 1461 values, birds per day
 * ```
 */
export function dailyLayersLost(days: number = SERIES_DAYS, scale = 1): number[] {
  const out = new Array<number>(days).fill(0);
  for (const p of CULL_PERIODS) {
    const a = dayIndex(p.from);
    const b = dayIndex(p.to);
    const perDay = (scale * p.layers) / (b - a + 1);
    for (let d = Math.max(0, a); d <= Math.min(days - 1, b); d++) out[d]! += perDay;
  }
  return out;
}
