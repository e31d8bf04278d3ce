/**
 * @populace/populations: census-driven synthetic populations (New York City,
 * its boroughs, a generic synthetic place, a well-mixed one) and loading your
 * own from CSV/Parquet files named by a manifest.
 */
export { plugin, default } from './plugin.js';
export { createNycPopulation, createSyntheticPopulation, createWellMixedPopulation, defaultPopulations, MAX_SYNTHETIC_AGENTS } from './populations.js';
export type { NycPopulationOptions, PopulationOptions } from './populations.js';
export { LAYERS, LAYER_DEFAULTS, areaSizes, resolveLayerOptions, synthesizePopulation } from './synthesize.js';
export type { LayerName, LayerOptions, SynthesisOptions } from './synthesize.js';
export { MAX_AGE, validateMarginals } from './marginals.js';
export type { AgeBand, AreaMarginals, CensusMarginals } from './marginals.js';
export { NYC_BOROUGHS, NYC_MAX_WORKPLACE_SIZE, NYC_SENIORS_WITH_CHILDREN_SHARE, nycDataFile, nycMarginals, parseAgeBand } from './nyc-data.js';
export type { NycBorough, NycDataFile } from './nyc-data.js';
export { syntheticMarginals } from './synthetic-marginals.js';
export { EMPLOYED_LABELS, peopleAttributes, peopleLabels, SEX_LABELS, STUDENT_LABELS } from './people-attributes.js';
export { MAX_HOUSEHOLD_SIZE, householdSizeCounts, householdSizeDistribution } from './household-sizes.js';
export { SENIOR_AGE, SENIOR_SLOTS, isSeniorSlot, planSeniors } from './household-ages.js';
export type { SeniorPlan, SeniorPlanInput } from './household-ages.js';
export { workplaceSizeLaw } from './workplace-sizes.js';
export type { WorkplaceSizeLaw } from './workplace-sizes.js';
export { ADULT_AGE, OPEN_BAND_DECAY, ageYearWeights, employmentByAge, enrolmentByAge, relativeEmployment } from './age-profile.js';
export { loadPopulationManifest } from './load.js';
export { readManifest } from './manifest.js';
export type { AgentsSpec, AttributeSpec, EdgeListSpec, HashedLayerSpec, PopulationManifest } from './manifest.js';
export { filePopulation } from './file-population.js';
export { digestFiles, manifestFormat, MANIFEST_EXTENSIONS, openManifest } from './manifest-format.js';
export type { FilePopulationOptions } from './file-population.js';
export { writePopulation } from './write.js';
export type { WritePopulationOptions } from './write.js';
export { NUMERIC_TYPES } from './columns.js';
export type { NumericType } from './columns.js';
export { TABLE_FORMATS } from './table-io.js';
export type { TableFormat } from './table-io.js';
