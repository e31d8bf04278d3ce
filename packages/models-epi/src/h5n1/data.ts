/**
 * The published numbers `epi/h5n1` and `us-layer-farms` are built on, each
 * with the source id and the place in `data/h5n1-egg-supply.json` it comes
 * from (the file lists the sources). `data.test.ts` checks every value here
 * against that file, so the two cannot drift apart.
 */

/** One sourced number: its value, the source id and its path in data/h5n1-egg-supply.json. */
export interface SourcedValue<T = number> {
  readonly value: T;
  readonly source: string;
  /** Dotted path of the value in data/h5n1-egg-supply.json (array entries by index). */
  readonly path: string;
}

const sourced = <T>(value: T, source: string, path: string): SourcedValue<T> => Object.freeze({ value, source, path });

/**
 * Sourced facts of the H5N1 / US egg-supply data set used for defaults.
 *
 * @example
 * ```ts
 * H5N1_FACTS.tableEggLayers.value; // 301_000_000 hens (eggnews_ers_2026_01)
 * ```
 */
export const H5N1_FACTS = Object.freeze({
  /** US table-egg layers on 31 Dec 2025 (USDA ERS via EGG-NEWS). */
  tableEggLayers: sourced(301_000_000, 'eggnews_ers_2026_01', 'poultry.usTableEggLayers.10.count'),
  /** Farms with 100,000 or more hens in the 2017 Census of Agriculture. */
  farmsWith100kPlusHens: sourced(320, 'uep_census', 'poultry.industryStructure.census2017FarmsWithLayingHens.farmsWith100kPlusHens'),
  /** Share of US layers held by the ~200 companies with at least 75,000 hens (early 2018). */
  largeCompanyLayerShare: sourced(0.95, 'iowaegg', 'poultry.industryStructure.companiesWithAtLeast75kHens.shareOfUSLayers'),
  /** Largest affected flock named in the 2022 reports (Jefferson County, WI). */
  largestExampleFlock: sourced(3_000_000, 'thefern_2022', 'poultry.industryStructure.exampleLargeAffectedFlocks2022.jeffersonCountyWI'),
  /** Commercial layer flocks affected, Feb 2022 - Aug 2024 (30 months). */
  affectedLayerFlocks: sourced(57, 'watt_2024_layers', 'poultry.industryStructure.affectedCommercialLayerFlocks_Feb2022toAug2024.flocks'),
  /** Layers depopulated in those flocks. */
  affectedLayersDepopulated: sourced(73_400_000, 'watt_2024_layers', 'poultry.industryStructure.affectedCommercialLayerFlocks_Feb2022toAug2024.layersDepopulated'),
  /** Mean size of those flocks, 73.4M / 57 (derived in the data file). */
  affectedMeanFlockSize: sourced(1_290_000, 'watt_2024_layers', 'poultry.industryStructure.affectedCommercialLayerFlocks_Feb2022toAug2024.meanFlockSize_derived'),
  /** Layers depopulated in 2022. */
  layersDepopulated2022: sourced(43_400_000, 'watt_2024_layers', 'poultry.layersDepopulated.2022.hens'),
  /** Layers depopulated in November 2023 (no layer outbreak earlier in 2023). */
  layersDepopulatedNov2023: sourced(5_100_000, 'watt_2024_layers', 'poultry.layersDepopulated.2023.novemberHens'),
  /** Layers depopulated in December 2023. */
  layersDepopulatedDec2023: sourced(7_800_000, 'watt_2024_layers', 'poultry.layersDepopulated.2023.decemberHens'),
  /** Layers depopulated in 2024. */
  layersDepopulated2024: sourced(40_000_000, 'eggnews_ers_2025_06', 'poultry.layersDepopulated.2024.hens'),
  /** Layers depopulated in 2025. */
  layersDepopulated2025: sourced(42_300_000, 'eggnews_ers_2026_01', 'poultry.layersDepopulated.2025.hens'),
  /** Share of 2022-23 outbreaks believed to be farm-to-farm (truncated excerpt; see the data notes). */
  farmToFarmShare: sourced('about 15% of outbreaks believed to be farm-to-farm (excerpt truncated at \'farm-to-f...\')', 'watt_2023_uep', 'poultry.controlZonesAndFarmToFarmSpread.farmToFarmSpread.2022_23'),
  /** Median days from virus introduction to the first positive sample in a flock. */
  introductionToDetectionDays: sourced(6, 'ssematimba2024', 'poultry.detectionAndDepopulation.medianTimeIntroductionToFirstPositiveSampleDays.value'),
  /** Industry target: depopulate a layer house within 24 hours. */
  depopulationTargetHours: sourced(24, 'uep_depop_2015', 'poultry.detectionAndDepopulation.depopulationTargetHours.value'),
  /** Fallow after cleaning and disinfection before restocking. */
  fallowDays: sourced(21, 'iowa_restock_2015', 'poultry.restocking.fallowAfterCleaningDisinfectionDays.value'),
  /** Months until a farm is back at full pre-outbreak production. */
  fullProductionMonths: sourced([12, 18] as const, 'uep_repop_2015', 'poultry.restocking.timeToFullPreOutbreakProductionMonths.range'),
  /** The four North American flyways. */
  flyways: sourced(['Atlantic', 'Mississippi', 'Central', 'Pacific'] as const, 'aphis_flocks_page', 'wild_birds.flyways.names'),
  /** Mississippi flyway's share of North American migrating waterfowl and shorebirds. */
  mississippiWaterfowlShare: sourced(0.4, 'wiki_mississippi', 'wild_birds.flyways.mississippiShareOfNAMigratingWaterfowlAndShorebirds.value'),
  /** Mississippi flyway's share of commercial detections, to April 2022. */
  mississippiDetectionShare: sourced(0.49, 'afbf_2022_04', 'wild_birds.flyways.mississippiShareOfCommercialDetections_toApr2022.value'),
  /** Months in which the fall migration starts. */
  fallMigrationStart: sourced(['August', 'September'] as const, 'usgs_faq', 'wild_birds.seasonality.fallMigrationStartMonths.value'),
  /** Months in which the northward (spring) duck migration starts. */
  springMigrationStart: sourced(['February', 'March', 'April'] as const, 'delta_waterfowl', 'wild_birds.seasonality.springMigrationStartMonths.value'),
  /** Human cases linked to poultry (latest CDC data in the file). */
  poultryHumanCases: sourced(24, 'avnpk_2025', 'humans.casesSince2024.5.poultry'),
  /** Person-to-person spread identified in the US. */
  humanToHuman: sourced('none identified', 'cdc_snapshot_2024_12', 'humans.humanToHumanTransmission.value'),
});
