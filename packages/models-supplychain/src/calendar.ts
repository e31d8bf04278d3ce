/**
 * The calendar of `supplychain/eggs`: day indices from 1 January 2022, Easter
 * Sundays, and the demand seasonality around Easter and the December baking season.
 */

/**
 * Easter Sunday of a Gregorian year as [month (1-12), day], by the anonymous Gregorian computus
 * (Meeus/Jones/Butcher).
 *
 * @example
 * ```ts
 * easterSunday(2025); // [4, 20]
 * ```
 */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2022, 0, 1);

/** Days of the demand bumps' standard deviation (an assumption: the pre-holiday buying weeks). */
export const SEASON_WIDTH_DAYS = 10;

/**
 * Relative demand on day `day` (0 = 1 January 2022) with `amplitude` (a share of normal demand)
 * at each peak: Easter Sunday and 15 December (holiday baking); 1 elsewhere.
 *
 * @example
 * ```ts
 * seasonalDemand(1204, 0.05); // ~1.05 (20 April 2025, Easter)
 * ```
 */
export function seasonalDemand(day: number, amplitude: number): number {
  const date = new Date(EPOCH + day * DAY_MS);
  const year = date.getUTCFullYear();
  let bump = 0;
  for (const y of [year - 1, year, year + 1]) {
    const [m, d] = easterSunday(y);
    for (const peak of [Date.UTC(y, m - 1, d), Date.UTC(y, 11, 15)]) {
      const z = (EPOCH + day * DAY_MS - peak) / DAY_MS / SEASON_WIDTH_DAYS;
      bump += Math.exp(-0.5 * z * z);
    }
  }
  return 1 + amplitude * bump;
}
