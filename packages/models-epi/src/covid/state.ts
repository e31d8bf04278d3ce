/**
 * The state of `epi/covid`: compartments, per-agent constants derived from
 * age once at initialisation, intervention state, and daily counters.
 */
import type { AttributeArray, EnvironmentSpec, InitContext, PopulationData, PropertySpec, StateSpec } from '@populace/core';
import { layerDegreesSpec, layerNetworks } from '../layers.js';
import { seedsOf } from '../seeding.js';
import { ageBand, communityActivity, deathGivenSevere, FALLBACK_AGE, P_SEVERE_GIVEN_SYMPTOMATIC, P_SYMPTOMATIC as SYMPTOMATIC_BY_AGE, RELATIVE_SUSCEPTIBILITY } from './age-tables.js';
import { MAX_INFECTIOUS_STAGES, MAX_LATENT_STAGES, stageSlots } from './durations.js';
import { reproductionCurveSpec } from './reproduction.js';
import { vaccineRanks } from './vaccine-priority.js';

/** Ages of an initialiser's agents: the population's `age` attribute, or FALLBACK_AGE for everyone. */
export function agesOf(attributes: Readonly<Record<string, ArrayLike<number>>>, count: number): ArrayLike<number> {
  return attributes.age ?? new Uint8Array(count).fill(FALLBACK_AGE);
}

/**
 * `out[i] = f(src[i], i)` with a plain loop: `Float32Array.from` with a map function goes through
 * the iterator protocol and takes seconds at city scale.
 */
function mapped(src: ArrayLike<number>, f: (v: number, i: number) => number): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!, i);
  return out;
}

/** An initialiser mapping each agent's age band through a table. */
const byAge = (table: readonly number[]) => (ctx: InitContext): Float32Array => mapped(agesOf(ctx.attributes, ctx.count), (a) => table[ageBand(a)]!);

/** The seed infections that are symptomatic (one shared uniform stream, so Ia and Is agree). */
function seedSymptomatic(ctx: InitContext): Uint8Array {
  const seeds = seedsOf(ctx);
  const u = ctx.uniform('seed-symptoms');
  const ages = agesOf(ctx.attributes, ctx.count);
  return seeds.map((s, i) => (s === 1 && u[i]! < SYMPTOMATIC_BY_AGE[ageBand(ages[i]!)]! ? 1 : 0));
}

function peopleAges(population: PopulationData | undefined): AttributeArray | undefined {
  const table = population?.agents.people ?? (population && Object.keys(population.agents).length === 1 ? Object.values(population.agents)[0] : undefined);
  return table?.attributes?.age;
}

/**
 * [mean(s_i p_i), mean(s_i (1 - p_i))] over the population (s: relative susceptibility, p: probability
 * of a symptomatic infection): with asymptomatic infectiousness `a`, kappa = mix[0] + a * mix[1] is
 * the mean susceptibility-weighted infectiousness of the well-mixed next-generation operator, whose
 * R is beta * infectiousDays * kappa.
 */
export const infectiousnessMixSpec: EnvironmentSpec = {
  dtype: 'float32',
  shape: [2],
  description: 'mean over agents of susceptibility * P(symptomatic) and of susceptibility * P(asymptomatic)',
  init: (ctx) => {
    const ages = peopleAges(ctx.population);
    if (!ages || ages.length === 0) {
      const k = ageBand(FALLBACK_AGE);
      return [RELATIVE_SUSCEPTIBILITY[k]! * SYMPTOMATIC_BY_AGE[k]!, RELATIVE_SUSCEPTIBILITY[k]! * (1 - SYMPTOMATIC_BY_AGE[k]!)];
    }
    let sym = 0;
    let asym = 0;
    for (let i = 0; i < ages.length; i++) {
      const k = ageBand(ages[i]!);
      sym += RELATIVE_SUSCEPTIBILITY[k]! * SYMPTOMATIC_BY_AGE[k]!;
      asym += RELATIVE_SUSCEPTIBILITY[k]! * (1 - SYMPTOMATIC_BY_AGE[k]!);
    }
    return [sym / ages.length, asym / ages.length];
  },
};

const flag = (description: string, init: PropertySpec['init'] = 0): PropertySpec => ({ dtype: 'float32', init, description });

/** The stage indicators (durations.ts): latent stages, and infectious stages by symptoms; the seeds start in infectious stage 0. */
type StageProperty = `latentStage${number}` | `asymptomaticStage${number}` | `symptomaticStage${number}`;
function stageProperties(): Record<StageProperty, PropertySpec> {
  const out: Record<string, PropertySpec> = {};
  for (let j = 0; j < MAX_LATENT_STAGES; j++) out[`latentStage${j}`] = flag(`1 while in latent stage ${j} (E)`);
  for (let j = 0; j < MAX_INFECTIOUS_STAGES; j++) {
    out[`asymptomaticStage${j}`] = flag(`1 while in infectious stage ${j} without symptoms (Ia)`, j === 0 ? (ctx) => { const seeds = seedsOf(ctx); const sym = seedSymptomatic(ctx); return mapped(seeds, (v, i) => v - sym[i]!); } : 0);
    out[`symptomaticStage${j}`] = flag(`1 while in infectious stage ${j} with symptoms (Is)`, j === 0 ? (ctx) => Float32Array.from(seedSymptomatic(ctx)) : 0);
  }
  return out as Record<StageProperty, PropertySpec>;
}
/**
 * The stages a simulation holds, latent then infectious (durations.ts stageSlots): fixed at
 * initialisation from the durations then, so that moving a duration never changes the number of
 * draws (the stochastic derivative's replays, calibration steps before a reset).
 */
export const stageSlotsSpec: EnvironmentSpec = {
  dtype: 'float32',
  shape: [2],
  description: 'stage tensors in use for the latent and for the infectious period (room for the stage count at the initial durations and one more)',
  init: (ctx) => [
    stageSlots(Number(ctx.params.latentDays), Number(ctx.params.latentSd), MAX_LATENT_STAGES),
    stageSlots(Number(ctx.params.infectiousDays), Number(ctx.params.infectiousSd), MAX_INFECTIOUS_STAGES),
  ],
};

const counter = (description: string): EnvironmentSpec => ({ dtype: 'float32', init: 0, description });

/** The state schema of `epi/covid`. */
export const COVID_STATE = {
  agents: {
    people: {
      description: 'everyone; compartments are 0/1 indicators (float32, so that gradients flow)',
      properties: {
        susceptible: flag('1 while susceptible (S)', (ctx) => mapped(seedsOf(ctx), (m) => 1 - m)),
        exposed: flag('1 while infected, not yet infectious (E)'),
        asymptomatic: flag('1 while infectious without symptoms (Ia)', (ctx) => {
          const seeds = seedsOf(ctx);
          const sym = seedSymptomatic(ctx);
          return mapped(seeds, (s, i) => s - sym[i]!);
        }),
        symptomatic: flag('1 while infectious with symptoms, from the start of infectiousness (Is)', (ctx) => Float32Array.from(seedSymptomatic(ctx))),
        hospitalised: flag('1 while hospitalised with severe disease and going to recover (H)'),
        hospitalisedFatal: flag('1 while hospitalised with severe disease and going to die (Hf)'),
        recovered: flag('1 once recovered (R)'),
        dead: flag('1 once dead (M)'),
        age: { dtype: 'float32', init: { attribute: 'age', fallback: FALLBACK_AGE }, description: `age in years (${FALLBACK_AGE} where the population has no ages)` },
        susceptibility: flag('relative susceptibility by age (covasim_pars sus_ORs), times 1 - vaccineEfficacy once vaccinated', byAge(RELATIVE_SUSCEPTIBILITY)),
        pSymptomatic: flag('probability that an infection becomes symptomatic (covasim_pars symp_probs)', byAge(SYMPTOMATIC_BY_AGE)),
        pSevere: flag('probability of severe disease given symptoms (covasim_pars severe_probs / symp_probs)', byAge(P_SEVERE_GIVEN_SYMPTOMATIC)),
        pDeath: flag('probability of death given severe disease: the severityPreset IFR table (odriscoll2020 as in covasim_pars death_probs, or levin2020) over severe_probs', (ctx) => byAge(deathGivenSevere(Number(ctx.params.severityPreset)))(ctx)),
        communityActivity: flag('relative community contact rate by age, for sending and receiving on the community layer (communityAgeMixing; mossong2008)', (ctx) => mapped(agesOf(ctx.attributes, ctx.count), (a) => communityActivity(a, Number(ctx.params.communityAgeMixing)))),
        ...stageProperties(),
        infectedDay: flag('1 + the day (step) of infection, 1 for the initial infections, 0 while never infected. Progression draws are keyed by the days since infection, so a course does not change when its infection moves to another day', (ctx) => Float32Array.from(seedsOf(ctx))),
        infectionHazard: flag('infection hazard received so far (the sum of the daily hazards); the agent is infected on the day 1 - exp(-infectionHazard) passes its own uniform threshold, which is the law of daily draws with those hazards (Sellke). It keeps accumulating after infection, unused then'),
        resultDay: flag('day a positive test result arrives (-1: never tested positive); once past, the person is diagnosed and not tested again', -1),
        isolationLeft: flag('days of isolation left, today included'),
        isolated: flag('1 while isolating'),
        vaccineRank: {
          dtype: 'int32',
          description: 'place in the vaccination queue (vaccinePriority; 2^31 - 1 below vaccineMinAge)',
          init: (ctx) => vaccineRanks(agesOf(ctx.attributes, ctx.count), Number(ctx.params.vaccinePriority), Number(ctx.params.vaccineMinAge), ctx.seed),
        },
        vaccinated: flag('1 once vaccinated'),
      },
    },
  },
  environment: {
    layerDegrees: layerDegreesSpec,
    infectiousnessMix: infectiousnessMixSpec,
    reproductionCurve: reproductionCurveSpec,
    stageSlots: stageSlotsSpec,
    newInfections: counter('infections during the last day'),
    workInfections: counter('infections during the last day through the work layer (expected: each weighted by the work share of its hazard)'),
    deaths: counter('deaths during the last day'),
    testsUsed: counter('tests done during the last day'),
    positives: counter('positive results received during the last day'),
    pendingResults: counter('positive results not yet received'),
    positivesThisWeek: counter('positive results received so far in the current week (days 7w .. 7w+6)'),
    positivesLastWeek: counter('positive results received during the last complete week'),
    isolatedNow: counter('people with isolation days left (in hospital or dead included)'),
    isolatedAtHome: counter('people isolating at home (not in hospital, not dead)'),
    dosesGiven: counter('vaccine doses given during the last day'),
    vaccineFrontier: { dtype: 'int32', init: 0, description: 'vaccination queue places offered so far' },
  },
  networks: layerNetworks(),
} satisfies StateSpec;
