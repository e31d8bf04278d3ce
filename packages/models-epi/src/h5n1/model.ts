/**
 * `epi/h5n1`: highly pathogenic avian influenza H5N1 from wild birds to
 * layer farms to people. Wild birds bring the virus to farms with a seasonal
 * migration pressure per flyway; it spreads between farms over their
 * contacts; infected flocks are detected after a delay and culled (every
 * bird), farms are restocked later; workers on farms with infected birds can
 * be infected, and people can infect their contacts (rarely). One step is one day.
 */
import { defineModel, sumOf, tf, type MetricSpec, type StatePath } from '@populace/core';
import { farmDay } from './farm-day.js';
import { FLYWAYS } from './flocks.js';
import { humanDay } from './human-day.js';
import { initFlockSize, initFlyway, initInfectedFarms, initPersonFarm, initSusceptibleFarms, initWorker } from './init.js';
import { migration } from './migration.js';
import { H5N1_PARAMETERS } from './parameters.js';
import { H5N1_PATHS as P } from './paths.js';
import { DEFAULT_FARMS } from './population.js';

const total = (paths: readonly StatePath[], description: string): MetricSpec => ({
  description,
  reads: paths,
  compute: (ctx) => tf.addN(paths.map((p) => tf.sum(ctx.get(p)))),
});

const indicator = (description: string) => ({ dtype: 'float32' as const, init: 0, description });
const counter = (description: string) => ({ dtype: 'float32' as const, init: 0, description });

/**
 * Metric names of `epi/h5n1` (each a series with one value per day).
 * `birdsCulled` is the culling series the supply-chain plugin consumes (see `cullingSeries`).
 */
export const H5N1_METRICS = Object.freeze([
  'infectedFarms', 'newInfectedFarms', 'wildBirdIntroductions', 'farmToFarmInfections', 'detectedFarms', 'culledFarms', 'emptyFarms', 'flocksRestocked',
  'birdsCulled', 'cumulativeBirdsCulled', 'layersInProduction',
  'humanCases', 'spilloverCases', 'humanToHumanCases', 'humansInfected', 'cumulativeHumanCases', 'migrationPressure',
] as const);

/**
 * The `epi/h5n1` model. Runs on `us-layer-farms` (farms, workers and households, farm and human
 * contact networks); without a population it runs on `agents` farms with one worker each, farms
 * mixing within their flyway and no human-to-human transmission.
 *
 * @example
 * ```ts
 * const sim = runtime.createSimulation({ model: 'epi/h5n1', population: 'epi/us-layer-farms', seed: 1, params: { startDay: 0 } });
 * const { metrics } = await sim.run({ steps: 365 });
 * metrics.birdsCulled; // birds culled per day
 * ```
 */
export const h5n1 = defineModel({
  id: 'h5n1',
  description: 'H5N1 avian influenza: seasonal wild-bird introductions per flyway into layer farms, farm-to-farm spread, detection, culling and restocking, spillover to farm workers and limited human-to-human transmission (one step = one day)',
  state: {
    agents: {
      farms: {
        description: 'commercial table-egg layer farms (one flock each)',
        susceptible: { dtype: 'float32', init: initSusceptibleFarms, description: '1 while the flock is uninfected' },
        infected: { dtype: 'float32', init: initInfectedFarms, description: '1 while the flock is infected and not yet detected' },
        detected: indicator('1 while the flock is detected and awaits culling'),
        culled: indicator('1 while the farm is empty after culling, until restocked'),
        flockSize: { dtype: 'float32', init: initFlockSize, description: 'birds in the full flock' },
        stock: { dtype: 'float32', init: 1, description: 'share of the full flock on the farm: 1, 0 while empty after culling, rising linearly while restocking' },
        flyway: { dtype: 'int32', init: initFlyway, description: `flyway index: ${FLYWAYS.map((f, k) => `${k} ${f}`).join(', ')}` },
        daysInfected: { dtype: 'int32', init: 0, description: 'days since infection while infected or detected (seeded farms count from the day before step 0), else 0' },
        daysSinceCull: { dtype: 'int32', init: 0, description: 'days since culling while the farm is empty or refilling (the restocking timer), else 0' },
      },
      people: {
        description: 'farm workers and other people (their households)',
        susceptible: { dtype: 'float32', init: 1, description: '1 while never infected' },
        infected: indicator('1 while infected'),
        recovered: indicator('1 once recovered'),
        farm: { dtype: 'int32', init: initPersonFarm, description: 'index of the farm the person works at or lives with' },
        worker: { dtype: 'float32', init: initWorker, description: '1 for farm workers (exposed to the flock), 0 for other people' },
      },
    },
    environment: {
      migrationPressure: { dtype: 'float32', shape: [FLYWAYS.length], init: 0, description: `wild-bird migration pressure today per flyway (${FLYWAYS.join(', ')})` },
      newInfectedFarms: counter('farms infected today'),
      wildBirdIntroductions: counter('farms infected by wild birds today'),
      farmToFarmInfections: counter('farms infected by contact farms today'),
      detectedFarms: counter('farms detected today'),
      culledFarms: counter('farms culled today'),
      birdsCulled: counter('birds culled today'),
      cumulativeBirdsCulled: counter('birds culled since step 0'),
      flocksRestocked: counter('farms whose first new birds were placed today'),
      humanCases: counter('people infected today'),
      spilloverCases: counter('workers infected by birds today'),
      humanToHumanCases: counter('people infected by people today'),
    },
    networks: {
      'farm-contacts': { agents: 'farms', optional: true, description: 'farm-to-farm proximity and trade contacts (without it: homogeneous mixing within a flyway)' },
      'human-contacts': { agents: 'people', optional: true, description: 'human contacts (without it: no human-to-human transmission)' },
    },
  },
  needs: {
    attributes: {
      farms: {
        flockSize: { description: 'birds in the flock', fallback: 'heavy-tailed flock sizes totalling the US table-egg layer count' },
        flyway: { description: `flyway index (${FLYWAYS.join(', ')})`, fallback: 'flyways drawn by each flyway\'s share of layer farms' },
      },
      people: {
        farm: { description: 'index of the farm the person works at or lives with', fallback: 'person i belongs to farm i (as many people as farms)' },
        role: { description: 'worker or household member', fallback: 'everyone is a farm worker' },
      },
    },
  },
  parameters: H5N1_PARAMETERS,
  substeps: [migration, humanDay, farmDay],
  metrics: {
    infectedFarms: total([P.farmInfected, P.farmDetected], 'farms holding infected birds (infected or detected, not yet culled)'),
    newInfectedFarms: sumOf(P.newInfectedFarms, 'farms infected that day'),
    wildBirdIntroductions: sumOf(P.wildBirdIntroductions, 'farms infected by wild birds that day'),
    farmToFarmInfections: sumOf(P.farmToFarmInfections, 'farms infected by contact farms that day'),
    detectedFarms: sumOf(P.detectedFarms, 'farms detected that day'),
    culledFarms: sumOf(P.culledFarms, 'farms culled that day'),
    emptyFarms: sumOf(P.farmCulled, 'farms empty after culling (not yet restocked)'),
    flocksRestocked: sumOf(P.flocksRestocked, 'farms whose restocking began that day (first new birds placed)'),
    birdsCulled: sumOf(P.birdsCulled, 'birds culled that day (the culling series)'),
    cumulativeBirdsCulled: sumOf(P.cumulativeBirdsCulled, 'birds culled since step 0'),
    layersInProduction: {
      description: 'birds on the farms: full flocks, none on empty farms, the restocked share on refilling ones',
      reads: [P.stock, P.flockSize],
      compute: (ctx) => tf.sum(tf.mul(ctx.get(P.stock), ctx.get(P.flockSize))),
    },
    humanCases: sumOf(P.humanCases, 'people infected that day'),
    spilloverCases: sumOf(P.spilloverCases, 'workers infected by birds that day'),
    humanToHumanCases: sumOf(P.humanToHumanCases, 'people infected by people that day'),
    humansInfected: sumOf(P.humanInfected, 'people infected at the end of the day'),
    cumulativeHumanCases: total([P.humanInfected, P.humanRecovered], 'people ever infected'),
    migrationPressure: {
      description: 'migration pressure today, mean over the four flyways',
      reads: [P.migrationPressure],
      compute: (ctx) => tf.mean(ctx.get(P.migrationPressure)),
    },
  } satisfies Record<(typeof H5N1_METRICS)[number], MetricSpec>,
  defaultAgents: DEFAULT_FARMS,
});
