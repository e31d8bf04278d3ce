/**
 * The published numbers `supplychain/eggs` is built on, each with its source
 * id and its path in `data/h5n1-egg-supply.json` (the file lists the
 * sources). `data.test.ts` checks every value here against that file.
 */

/** One sourced number: its value, the source id and its dotted path in data/h5n1-egg-supply.json. */
export interface SourcedValue<T = number> {
  readonly value: T;
  readonly source: string;
  readonly path: string;
}

const sourced = <T>(value: T, source: string, path: string): SourcedValue<T> => Object.freeze({ value, source, path });

/**
 * Sourced facts of the US egg market used for defaults and validation.
 *
 * @example
 * ```ts
 * EGG_FACTS.tableEggLayers2021.value; // 326_000_000 hens, the 2021 average (eggnews_ers_2025_06)
 * ```
 */
export const EGG_FACTS = Object.freeze({
  /** Nominal producing flock, 2021 average: the flock before the 2022 outbreak. */
  tableEggLayers2021: sourced(326_000_000, 'eggnews_ers_2025_06', 'poultry.usTableEggLayers.0.count'),
  /** Table eggs produced in August 2024 (NASS). */
  tableEggsAug2024: sourced(7_770_000_000, 'nass_2024_09', 'egg_market.usEggProductionMonthly.rows.3.tableEggs'),
  /** Table-egg layers on 1 September 2024 (NASS). */
  tableEggLayersSep2024: sourced(307_000_000, 'nass_2024_09', 'poultry.usTableEggLayers.3.count'),
  /** Table eggs produced in February 2022 (NASS). */
  tableEggsFeb2022: sourced(7_390_000_000, 'nass_2022_03', 'egg_market.usEggProductionMonthly.rows.0.tableEggs'),
  /** Table-egg layers on 1 March 2022 (NASS). */
  tableEggLayersMar2022: sourced(323_000_000, 'nass_2022_03', 'poultry.usTableEggLayers.1.count'),
  /** Age of pullets when moved to the layer house. */
  pulletAgeWeeks: sourced([16, 18] as const, 'uep_repop_2015', 'poultry.restocking.pulletAgeAtMoveToLayerHouseWeeks.range'),
  /** Age of a hen before she lays. */
  layingAgeMonths: sourced(6, 'ktvu_2025_04', 'poultry.restocking.henAgeBeforeLayingMonths.value'),
  /** Months from depopulation to full pre-outbreak production. */
  fullProductionMonths: sourced([12, 18] as const, 'uep_repop_2015', 'poultry.restocking.timeToFullPreOutbreakProductionMonths.range'),
  /** Farm-to-store days (Canada; no US figure was found). */
  farmToStoreDays: sourced([4, 7] as const, 'getcracking', 'egg_market.supplyChain.farmToStoreDays.range'),
  /** Share of the gap to the long-run retail price closed per weekly period. */
  retailAdjustmentPerWeek: sourced(0.39, 'ajoseh2025', 'egg_market.supplyChain.retailAdjustmentSpeed.value'),
  /** Three-year average USDA national wholesale price (USD per dozen), quoted on 28 June 2024. */
  wholesaleThreeYearAverage: sourced(1.3, 'eggnews_2024_07', 'egg_market.wholesalePriceUSDPerDozen.rows.4.threeYearAverage'),
  /** Own-price elasticity of egg demand used for the 2015 HPAI price impacts (expert judgement). */
  elasticityLusk: sourced([-0.2, -0.15] as const, 'lusk2015', 'egg_market.priceElasticityOfDemand.0.value_range'),
  /** Own-price elasticity of egg demand, Carman (2012) as cited. */
  elasticityCarman: sourced([-0.2, -0.1] as const, 'lusk_sheet', 'egg_market.priceElasticityOfDemand.1.value_range'),
  /** Own-price elasticity of egg demand, Trewin (2002) as cited (non-US). */
  elasticityTrewin: sourced([-0.3, -0.1] as const, 'agra_ceas', 'egg_market.priceElasticityOfDemand.2.value_range'),
  /** Back-of-envelope elasticity from year-on-year January changes (blog). */
  elasticityAgData: sourced([-0.06, -0.02] as const, 'agdata_substack', 'egg_market.priceElasticityOfDemand.5.value_range'),
});
