/**
 * @populace/models-supplychain: supply-chain models for Populace.
 * `supplychain/eggs` (the US table-egg market, fed by observed culls or by
 * `epi/h5n1` in a composed run), its data and its validation against the
 * observed 2022-2025 prices; `supplychain/labor` (a city labour market in an
 * epidemic, fed by data or by `epi/covid`).
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
export { labor, DEFAULT_LABOR_AGENTS, WORK_CONTEXT, WORK_SLOT } from './labor.js';
export { LABOR_WORK_ATTRIBUTES, LABOR_WORK_PRIOR, laborWorkArchetype, laborWorkPrior } from './labor-work-archetype.js';
export { LABOR_PARAMETERS } from './labor-parameters.js';
export { LABOR_PATHS } from './labor-metrics.js';
export { INDUSTRY_CLOSURE, LABOR_FACTS, LABOR_START, NYC_AREAS, OBSERVED_UNEMPLOYMENT, STAY_AT_HOME_DAYS, stayAtHomeSeries } from './labor-data.js';
export type { LaborFact } from './labor-data.js';
