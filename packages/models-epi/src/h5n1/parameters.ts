/**
 * Parameters of `epi/h5n1`, each default with its source id (data/h5n1-egg-supply.json) or marked
 * as an assumption or a derivation. Transmission parameters are learnable.
 */
import type { ParameterSpec } from '@populace/core';
import { H5N1_FACTS } from './data.js';
import { MAX_FARMS } from './population.js';

const F = H5N1_FACTS;

/**
 * Layers depopulated a year, mean of 2022-2025 (2023: November and December only, the year's only
 * layer outbreaks): (43.4 + 12.9 + 40 + 42.3)M / 4 = 34.65M. Derived from H5N1_FACTS.
 */
export const OBSERVED_LAYERS_CULLED_PER_YEAR =
  (F.layersDepopulated2022.value + F.layersDepopulatedNov2023.value + F.layersDepopulatedDec2023.value + F.layersDepopulated2024.value + F.layersDepopulated2025.value) / 4;

/** Parameter names of `epi/h5n1`. */
export type H5n1ParameterName = keyof typeof H5N1_PARAMETERS;

/**
 * The parameter declarations of `epi/h5n1`.
 *
 * @example
 * ```ts
 * H5N1_PARAMETERS.detectionDelay.default; // 6 days (ssematimba2024)
 * ```
 */
export const H5N1_PARAMETERS = Object.freeze({
  wildBirdRate: {
    default: 3.6e-4, bounds: [0, 1], learnable: true, unit: '1/day',
    description: `daily hazard of a wild-bird introduction into a farm of average susceptibility (see flockSizeExponent) per unit of migration pressure (pressure 1 ~ a seasonal peak). Derived: ${(OBSERVED_LAYERS_CULLED_PER_YEAR / 1e6).toFixed(2)}M layers depopulated a year on average over 2022-2025 (${F.layersDepopulated2022.source}, ${F.layersDepopulated2024.source}, ${F.layersDepopulated2025.source}) at ${(F.affectedMeanFlockSize.value / 1e6).toFixed(2)}M per affected flock (${F.affectedMeanFlockSize.source}) is ~26.9 flocks a year; less the ~15% believed farm-to-farm (${F.farmToFarmShare.source}) that is ~22.8 introductions a year among the ${F.farmsWith100kPlusHens.value} large farms (${F.farmsWith100kPlusHens.source}); one farm's pressure summed over a default year is ~198, so 22.8 / (320 x 198) = 3.6e-4`,
  },
  flockSizeExponent: {
    default: 0.35, bounds: [0, 3], learnable: true,
    description: `how a farm's susceptibility (to wild birds and to infected contact farms) grows with its flock size: proportional to flockSize^flockSizeExponent, normalised to mean 1 over the farms so that the rates keep their per-average-farm meaning (0 gives every farm the same risk; 1 makes risk proportional to birds). Derived, not measured: the data gives no risk-by-size relation, but the ${F.affectedLayerFlocks.value} affected layer flocks of Feb 2022 - Aug 2024 averaged ${(F.affectedMeanFlockSize.value / 1e6).toFixed(2)}M birds (${F.affectedMeanFlockSize.source}) against a mean us-layer-farms farm of ~0.94M, so larger farms were infected more often. 0.35 makes the simulated mean culled flock ~1.27M over 10 seeds x 3 years (bench/h5n1-scale.mjs); the static size-biased mean alone would give 0.27, but large culled farms are out of the pool while they refill`,
  },
  pressureAtlantic: { default: 1, bounds: [0, 100], learnable: true, description: 'relative wild-bird pressure in the Atlantic flyway (reference level 1; the data has no per-flyway pressure)' },
  pressureMississippi: {
    default: 1.44, bounds: [0, 100], learnable: true,
    description: `relative wild-bird pressure in the Mississippi flyway. Derived: with ${F.mississippiWaterfowlShare.value * 100}% of farms there (see FLYWAY_FARM_SHARES), 1.44 gives it ${F.mississippiDetectionShare.value * 100}% of introductions, its share of commercial detections to April 2022 (${F.mississippiDetectionShare.source})`,
  },
  pressureCentral: { default: 1, bounds: [0, 100], learnable: true, description: 'relative wild-bird pressure in the Central flyway (1: no per-flyway data)' },
  pressurePacific: { default: 1, bounds: [0, 100], learnable: true, description: 'relative wild-bird pressure in the Pacific flyway (1: no per-flyway data)' },
  springAmplitude: {
    default: 1, bounds: [0, 100], learnable: true,
    description: `height of the spring migration peak (detections are higher in fall and spring as wild birds migrate, aphis_flocks_page; spring migration starts ${F.springMigrationStart.value.join('-')}, ${F.springMigrationStart.source})`,
  },
  fallAmplitude: {
    default: 1, bounds: [0, 100], learnable: true,
    description: `height of the fall migration peak (fall migration starts ${F.fallMigrationStart.value.join('-')}, ${F.fallMigrationStart.source}; 2022-23 layer losses: equal weight to spring, an assumption)`,
  },
  offSeason: {
    default: 0.05, bounds: [0, 100], learnable: true,
    description: 'migration pressure outside the seasons (assumption: a summer lull, e.g. no commercial detections in the 30 days before ~1 Sep 2025, afbf_2025_09; outbreaks ceased over summer 2023, afludiary_2023_11)',
  },
  springPeakDay: {
    default: 104, bounds: [0, 364], unit: 'day of year (0 = 1 January)',
    description: 'centre of the spring peak, 15 April: between the March-April 2022 layer-loss peak (watt_2024_layers) and the 17 April - 19 May 2015 losses (ers_chart_2018)',
  },
  fallPeakDay: {
    default: 318, bounds: [0, 364], unit: 'day of year (0 = 1 January)',
    description: 'centre of the fall peak, 15 November: outbreaks resumed in early October 2023 and rose in November (afludiary_2023_11); observed fall peaks Oct-Dec (data notes)',
  },
  seasonWidth: { default: 30, bounds: [1, 182], unit: 'days', description: 'standard deviation of each migration peak (assumption: puts ~95% of a season within two months either side of its peak)' },
  startDay: { default: 304, bounds: [0, 364], integer: true, unit: 'day of year (0 = 1 January)', description: 'day of the year of step 0 (default 1 November, inside the fall outbreak season)' },
  farmToFarmRate: {
    default: 0.0036, bounds: [0, 10], learnable: true, unit: '1/day',
    description: `daily hazard of infection per infected contact farm (farm-contacts network). Derived: ~15% of 2022-23 outbreaks were farm-to-farm (${F.farmToFarmShare.source}), so each outbreak seeds ~0.15 others; with ~6 contacts infectious for 7 days, 0.15 / (6 x 7) = 0.0036`,
  },
  detectionDelay: {
    default: F.introductionToDetectionDays.value, bounds: [1, 365], integer: true, unit: 'days',
    description: `days from virus introduction to detection: median ${F.introductionToDetectionDays.value} days from introduction to the first positive sample (${F.introductionToDetectionDays.source})`,
  },
  cullingDelay: {
    default: 1, bounds: [0, 365], integer: true, unit: 'days',
    description: `days from detection to depopulation: industry target ${F.depopulationTargetHours.value} hours (${F.depopulationTargetHours.source}); the data has no measured 2022-25 interval`,
  },
  restockStartDays: {
    default: 60, bounds: [0, 3650], integer: true, unit: 'days',
    description: `days from culling until the first new birds are placed (the farm is then susceptible again and refills linearly until restockDays). An assumption: disposal and cleaning and disinfection take about five weeks (the data has no measured interval), followed by the ${F.fallowDays.value}-day fallow (${F.fallowDays.source}); at or above restockDays the whole flock returns at once on day restockDays`,
  },
  restockDays: {
    default: 365, bounds: [1, 3650], integer: true, unit: 'days',
    description: `days from culling until the farm holds a full laying flock again (the end of the restocking ramp that starts at restockStartDays; placements are staggered by hen age): ${F.fullProductionMonths.value[0]}-${F.fullProductionMonths.value[1]} months to full pre-outbreak production (${F.fullProductionMonths.source}), lower end`,
  },
  spilloverRate: {
    default: 0.009, bounds: [0, 1], learnable: true, unit: '1/day',
    description: `daily hazard of infection of a worker whose farm holds infected birds (until culled). Derived: ${F.poultryHumanCases.value} poultry-linked human cases (${F.poultryHumanCases.source}) over roughly 90 affected layer flocks (${F.affectedLayerFlocks.value} to Aug 2024, ${F.affectedLayerFlocks.source}, plus ~33 in 2025 from 42.3M layers lost, eggnews_ers_2026_01) is ~0.25 cases per flock; 4 workers x 7 exposed days gives 0.25 / 28 = 0.009`,
  },
  humanToHumanRate: {
    default: 0.001, bounds: [0, 1], learnable: true, unit: '1/day',
    description: `daily hazard of infection per infectious human contact (human-contacts network). Small by assumption: person-to-person spread ${F.humanToHuman.value} (${F.humanToHuman.source}); 0.001 gives a worker ~0.035 secondary cases`,
  },
  humanRecovery: { default: 1 / 7, bounds: [0, 1], learnable: true, unit: '1/day', description: 'daily probability that an infected human recovers (assumption: ~7 days; cases were mild, mostly conjunctivitis, cdc_update_2024_10)' },
  seedFarms: { default: 0, bounds: [0, MAX_FARMS], integer: true, description: 'farms infected (undetected) at step 0, chosen at random per seed; must not exceed the number of farms' },
} satisfies Record<string, ParameterSpec>);
