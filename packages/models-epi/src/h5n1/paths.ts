/**
 * State paths of `epi/h5n1`, in one place for the substeps, the metrics and the tests.
 */

const farm = <P extends string>(p: P) => `agents/farms/${p}` as const;
const person = <P extends string>(p: P) => `agents/people/${p}` as const;
const env = <P extends string>(p: P) => `env/${p}` as const;

/**
 * Every state path of `epi/h5n1`. Farm compartments and human compartments are float32 0/1
 * indicators (exactly one is 1 per agent), so gradients flow through them.
 *
 * @example
 * ```ts
 * sim.state(H5N1_PATHS.farmInfected); // 1 for farms with undetected infection
 * ```
 */
export const H5N1_PATHS = Object.freeze({
  farmSusceptible: farm('susceptible'),
  farmInfected: farm('infected'),
  farmDetected: farm('detected'),
  farmCulled: farm('culled'),
  flockSize: farm('flockSize'),
  stock: farm('stock'),
  flyway: farm('flyway'),
  daysInfected: farm('daysInfected'),
  daysSinceCull: farm('daysSinceCull'),
  humanSusceptible: person('susceptible'),
  humanInfected: person('infected'),
  humanRecovered: person('recovered'),
  personFarm: person('farm'),
  worker: person('worker'),
  migrationPressure: env('migrationPressure'),
  newInfectedFarms: env('newInfectedFarms'),
  wildBirdIntroductions: env('wildBirdIntroductions'),
  farmToFarmInfections: env('farmToFarmInfections'),
  detectedFarms: env('detectedFarms'),
  culledFarms: env('culledFarms'),
  birdsCulled: env('birdsCulled'),
  cumulativeBirdsCulled: env('cumulativeBirdsCulled'),
  flocksRestocked: env('flocksRestocked'),
  humanCases: env('humanCases'),
  spilloverCases: env('spilloverCases'),
  humanToHumanCases: env('humanToHumanCases'),
});
