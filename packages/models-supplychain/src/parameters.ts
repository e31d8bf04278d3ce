/**
 * Parameters of `supplychain/eggs`, each default with its source id
 * (data/h5n1-egg-supply.json) or marked as an assumption or a derivation.
 */
import type { ParameterSpec } from '@populace/core';
import { EGG_FACTS as F } from './data.js';

/** Eggs per laying hen per day: NASS table eggs of August 2024 over the table-egg layers of 1 September 2024 (derived). */
export const LAY_RATE = F.tableEggsAug2024.value / 31 / F.tableEggLayersSep2024.value;

/** Days from placement of pullets to lay: ~6 months of age at first egg less the 16-18 weeks at placement (derived, midpoint). */
export const PRE_LAY_DAYS = Math.round(F.layingAgeMonths.value * 30.44 - ((F.pulletAgeWeeks.value[0] + F.pulletAgeWeeks.value[1]) / 2) * 7);

/** Daily share of the gap to the long-run retail price closed: 39% per week (ajoseh2025) as a daily rate. */
export const RETAIL_ADJUSTMENT_PER_DAY = 1 - (1 - F.retailAdjustmentPerWeek.value) ** (1 / 7);

/**
 * The parameter declarations of `supplychain/eggs`.
 *
 * @example
 * ```ts
 * EGGS_PARAMETERS.elasticity.bounds; // [-0.3, -0.02], the cited range
 * ```
 */
export const EGGS_PARAMETERS = Object.freeze({
  elasticity: {
    default: -0.15, bounds: [-0.3, -0.02], learnable: true,
    description: `own-price elasticity of retail egg demand. Default -0.15: the lower end of ${F.elasticityLusk.value.join(' to ')} (${F.elasticityLusk.source}) and inside ${F.elasticityCarman.value.join(' to ')} (Carman 2012, ${F.elasticityCarman.source}); bounds span ${F.elasticityTrewin.value[0]} (${F.elasticityTrewin.source}) to ${F.elasticityAgData.value[1]} (${F.elasticityAgData.source})`,
  },
  passThrough: {
    default: 1, bounds: [0.05, 2], learnable: true,
    description: 'long-run retail price change per USD of wholesale price change (assumption: full absolute pass-through; the data gives the speed of adjustment, not the long-run share)',
  },
  retailMargin: {
    default: 1.9, bounds: [0, 5], learnable: true, unit: 'USD/dozen',
    description: 'retail price less passThrough x wholesale price in the long run. Derived: February 2024 retail about 3.0 (headtopics_2024) less the 5 January 2024 wholesale 1.07 (politifact_style_2025), about 1.9; the data has no pre-outbreak retail price',
  },
  retailAdjustment: {
    default: RETAIL_ADJUSTMENT_PER_DAY, bounds: [0.001, 1], learnable: true, unit: '1/day',
    description: `share of the gap to the long-run retail price closed per day: ${F.retailAdjustmentPerWeek.value * 100}% per week (${F.retailAdjustmentPerWeek.source}) as a daily rate, ${RETAIL_ADJUSTMENT_PER_DAY.toFixed(4)}; consistent with the up-to-3-week wholesale-to-retail lag (integrityright_2025)`,
  },
  baseWholesale: {
    default: F.wholesaleThreeYearAverage.value, bounds: [0.1, 20], unit: 'USD/dozen',
    description: `wholesale price at which demand takes the production of demandLayers hens: the three-year average USDA national wholesale price quoted in June 2024, ${F.wholesaleThreeYearAverage.value} (${F.wholesaleThreeYearAverage.source})`,
  },
  demandLayers: {
    default: F.tableEggLayers2021.value, bounds: [1e8, 5e8], learnable: true, unit: 'hens',
    description: `layers whose production demand takes at baseWholesale and normal season: the 2021 average flock, ${F.tableEggLayers2021.value / 1e6}M (${F.tableEggLayers2021.source}), i.e. the pre-outbreak market in balance (an assumption)`,
  },
  nationalLayers: {
    default: F.tableEggLayers2021.value, bounds: [1e6, 1e9], unit: 'hens',
    description: `table-egg layers at step 0 (1 January 2022), shared among the farms by their flock sizes: the 2021 average, ${F.tableEggLayers2021.value / 1e6}M (${F.tableEggLayers2021.source})`,
  },
  layRate: {
    default: LAY_RATE, bounds: [0.1, 1.2], unit: 'eggs/hen/day',
    description: `table eggs per laying hen per day: ${F.tableEggsAug2024.value / 1e9}e9 table eggs in August 2024 (${F.tableEggsAug2024.source}) / 31 days / ${F.tableEggLayersSep2024.value / 1e6}M layers (${F.tableEggLayersSep2024.source}) = ${LAY_RATE.toFixed(3)} (derived)`,
  },
  restockDelay: {
    default: 120, bounds: [7, 730], learnable: true, unit: 'days',
    description: `mean days from culling to the placement of replacement pullets (cleaning, disinfection, the 21-day fallow, iowa_restock_2015, and staggered placements, uep_repop_2015). Farms take ${F.fullProductionMonths.value.join('-')} months to full production (${F.fullProductionMonths.source}), but the national flock regains most of a loss faster (net +1M hens a week in 2025, eggnews_ers_2025_06): 120 days is an assumption, fitted by calibration against the NASS layer counts`,
  },
  preLayDays: {
    default: PRE_LAY_DAYS, bounds: [1, 365], unit: 'days',
    description: `mean days from placement to lay: hens lay at about ${F.layingAgeMonths.value} months (${F.layingAgeMonths.source}) and are placed at ${F.pulletAgeWeeks.value.join('-')} weeks (${F.pulletAgeWeeks.source}), ${PRE_LAY_DAYS} days (derived)`,
  },
  inventoryDays: {
    default: (F.farmToStoreDays.value[0] + F.farmToStoreDays.value[1]) / 2, bounds: [0.5, 60], unit: 'days',
    description: `mean days an egg spends between farm and store (the market stage's inventory): ${F.farmToStoreDays.value.join('-')} days (${F.farmToStoreDays.source}, Canada; no US figure was found), midpoint`,
  },
  seasonalDemand: {
    default: 0.05, bounds: [0, 0.5], learnable: true,
    description: 'extra demand at the Easter and mid-December (baking) peaks, as a share of normal demand (assumption: the data note Easter demand peaks, particle_2025 and newsmax_2025_04, without a size)',
  },
  startDay: {
    default: 0, bounds: [0, 3650], integer: true, unit: 'days after 1 January 2022',
    description: 'calendar day of step 0 for the demand seasonality (the default layersLost input starts on 1 January 2022 whatever this is)',
  },
} satisfies Record<string, ParameterSpec>);
