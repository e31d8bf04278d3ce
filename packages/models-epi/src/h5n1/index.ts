/**
 * The H5N1 part of @populace/models-epi: the `epi/h5n1` model, the
 * `us-layer-farms` population and helpers. Re-exported by the package index.
 */
export { cullingSeries } from './culling.js';
export type { CullingSeries, H5n1Run } from './culling.js';
export { H5N1_FACTS } from './data.js';
export type { SourcedValue } from './data.js';
export { FLOCK_SIZE_RANGE, FLOCK_SIZE_TAIL, FLYWAY_FARM_SHARES, FLYWAYS, sampleFlockSizes } from './flocks.js';
export { H5N1_METRICS, h5n1 } from './model.js';
export { H5N1_PARAMETERS } from './parameters.js';
export type { H5n1ParameterName } from './parameters.js';
export { H5N1_PATHS } from './paths.js';
export { buildUsLayerFarms, DEFAULT_FARMS, HOUSEHOLD_PER_WORKER, MAX_FARMS, MEAN_FARM_CONTACTS, ROLE_HOUSEHOLD, ROLE_WORKER, usLayerFarms, WORKERS_PER_FARM } from './population.js';
export { DAYS_PER_YEAR, seasonalPressure } from './season.js';
export type { SeasonShape } from './season.js';
