/**
 * @populace/models-epi: epidemic models for Populace. `epi/sir` and
 * `epi/seir` (homogeneous mixing or contact layers), `epi/covid` (age-stratified
 * SEIRM with weekly R, testing, isolation and vaccination), `epi/h5n1` (wild
 * birds, layer farms and humans, with the `us-layer-farms` population), the
 * theory they are validated against, and the pieces to compose variants.
 */
export { plugin, default } from './plugin.js';
export { sir, seir, infectionHazard } from './compartmental.js';
export { covid, covidModel, INTERVENTIONS } from './covid/model.js';
export type { CovidModelOptions, InterventionName } from './covid/model.js';
export { disease } from './covid/disease.js';
export { testing } from './covid/testing.js';
export { ISOLATION_CONTEXT, ISOLATION_SLOT, isolation } from './covid/isolation.js';
export { COVID_ISOLATION_ATTRIBUTES, covidIsolationArchetype, covidIsolationPrior, ISOLATION_ADHERENCE_SMITH_2021, ISOLATION_PRIOR_REFERENCE, midAge } from './covid/isolation-archetype.js';
export { vaccination, affordableCourses } from './covid/vaccination.js';
export { TEST_PRESETS, VACCINE_PRESETS } from './covid/presets.js';
export { NEVER, VACCINE_PRIORITY, vaccineRanks } from './covid/vaccine-priority.js';
export { COVID_PARAMETERS, DEFAULT_R, R_WEEKS, TESTING_PARAMETERS, TRANSMISSION_PARAMETERS, VACCINATION_PARAMETERS } from './covid/parameters.js';
export { AGE_BANDS, ageBand, communityActivity, deathGivenSevere, FALLBACK_AGE, IFR_PRESETS, ifrTable, LEVIN_IFR_PER_INFECTION, POLYMOD_BAND_STARTS, POLYMOD_CONTACTS, P_DEATH_GIVEN_SEVERE, P_DEATH_PER_INFECTION, P_SEVERE_GIVEN_SYMPTOMATIC, P_SEVERE_PER_INFECTION, P_SYMPTOMATIC, RELATIVE_SUSCEPTIBILITY } from './covid/age-tables.js';
export { eulerLotkaRate, generationInterval, infectiousShape, latentShape, MAX_INFECTIOUS_STAGES, MAX_LATENT_STAGES, stagedSd, stageShape, stageSlots, stageWeights } from './covid/durations.js';
export type { DurationSettings, GenerationInterval, StageShape } from './covid/durations.js';
export { runBranching, uniformStream } from './covid/branching.js';
export type { BranchingInput, BranchingLayer, BranchingResult } from './covid/branching.js';
export { betaOf, branchingInput, CALIBRATION_GRID, meanInfectiousness, mixingReproduction, reproductionCurve, runSettings } from './covid/reproduction.js';
export { LAYERS, layerNetworks, layerWeightParams, meanDegree, networkPressure, presentLayers, weightParam } from './layers.js';
export type { Layer } from './layers.js';
export { seedMask } from './seeding.js';
export { weightedSum } from './weighted-sum.js';
export { discreteR0, edgeTransmissibility, finalSize, latentGrowthFactor, meanExcessDegree, networkFinalSize, rankOneAttack, rankOneFinalSize, seirGrowthFactor, sirGrowthFactor } from './theory.js';
export * from './h5n1/index.js';
