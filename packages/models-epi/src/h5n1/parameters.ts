/**
 * Parameters of `epi/h5n1`, each default with its source id (data/h5n1-egg-supply.json) or marked
 * as an assumption or a derivation. Transmission parameters are learnable.
 */
import type { ParameterSpec } from '@populace/core';
import { H5N1_FACTS } from './data.js';
import { MAX_FARMS } from './population.js';

const F = H5N1_FACTS;

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
    default: 3e-4, bounds: [0, 1], learnable: true, unit: '1/day',
    description: `daily hazard of a wild-bird introduction into one farm per unit of migration pressure (pressure 1 ~ a seasonal peak). Derived: ${F.affectedLayerFlocks.value} affected commercial layer flocks in the 30 months Feb 2022 - Aug 2024 (${F.affectedLayerFlocks.source}) less the ~15% believed farm-to-farm (${F.farmToFarmShare.source}) is ~19 introductions a year among the ${F.farmsWith100kPlusHens.value} large farms (${F.farmsWith100kPlusHens.source}); one farm's pressure summed over a default year is ~198, so 19 / (320 x 198) = 3e-4`,
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
  restockDays: {
    default: 365, bounds: [1, 3650], integer: true, unit: 'days',
    description: `days from culling until the farm holds a full laying flock again: ${F.fullProductionMonths.value[0]}-${F.fullProductionMonths.value[1]} months to full pre-outbreak production (${F.fullProductionMonths.source}), lower end; the minimum is a ${F.fallowDays.value}-day fallow after cleaning and disinfection (${F.fallowDays.source})`,
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
