/**
 * @populace/models-supplychain: supply-chain models for Populace.
 * `supplychain/eggs` (the US table-egg market, fed by observed culls or by
 * `epi/h5n1` in a composed run), its data and its validation against the
 * observed 2022-2025 prices.
 */
export { plugin, default } from './plugin.js';
export { eggs, DEFAULT_FARMS } from './eggs.js';
export { EGGS_PARAMETERS, LAY_RATE, PRE_LAY_DAYS, RETAIL_ADJUSTMENT_PER_DAY } from './parameters.js';
export { EGG_FACTS } from './data.js';
export type { SourcedValue } from './data.js';
export { CULL_PERIODS, dailyLayersLost, dateOf, dayIndex, SERIES_DAYS, SERIES_START } from './depopulation.js';
export type { CullPeriod } from './depopulation.js';
export { easterSunday, seasonalDemand, SEASON_WIDTH_DAYS } from './calendar.js';
export { OBSERVED_PRICES, meanAbsLogError, observedSeries } from './observed.js';
export type { Observation, ObservedMetric } from './observed.js';
