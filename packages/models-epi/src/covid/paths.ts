/**
 * State paths of `epi/covid` (agent type `people`; compartments are float32
 * 0/1 indicators so that gradients flow through them).
 */
const people = <const P extends string>(p: P) => `agents/people/${p}` as const;

/** Compartments: S, E, infectious asymptomatic (Ia) and symptomatic (Is), hospitalised recovering (H) and dying (Hf), R, M (dead). */
export const S = people('susceptible');
export const E = people('exposed');
export const IA = people('asymptomatic');
export const IS = people('symptomatic');
export const H = people('hospitalised');
export const HF = people('hospitalisedFatal');
export const R = people('recovered');
export const M = people('dead');

/** Per-agent constants derived from age at initialisation. */
export const AGE = people('age');
export const SUSCEPTIBILITY = people('susceptibility');
export const P_SYMPTOMATIC = people('pSymptomatic');
export const P_SEVERE = people('pSevere');
export const P_DEATH = people('pDeath');
export const COMMUNITY_ACTIVITY = people('communityActivity');

/** 0/1 indicators of being in stage j of the latent period, of the asymptomatic and of the symptomatic infectious period (durations.ts). */
export const latentStagePath = (j: number) => people(`latentStage${j}`);
export const asymptomaticStagePath = (j: number) => people(`asymptomaticStage${j}`);
export const symptomaticStagePath = (j: number) => people(`symptomaticStage${j}`);

/** 1 + the day (step) of an agent's infection (0 before, 1 for the seeds): its progression draws are keyed by the days since (disease.ts). */
export const INFECTED_DAY = people('infectedDay');

/** The infection hazard an agent has received so far: it is infected when 1 - exp(-this) passes its threshold (disease.ts). */
export const INFECTION_HAZARD = people('infectionHazard');

/** Intervention state. */
export const RESULT_DAY = people('resultDay');
export const ISOLATION_LEFT = people('isolationLeft');
export const ISOLATED = people('isolated');
export const VACCINE_RANK = people('vaccineRank');
export const VACCINATED = people('vaccinated');

/** Environment values. */
export const INFECTIOUSNESS_MIX = 'env/infectiousnessMix' as const;
export const REPRODUCTION_CURVE = 'env/reproductionCurve' as const;
export const STAGE_SLOTS = 'env/stageSlots' as const;
export const NEW_INFECTIONS = 'env/newInfections' as const;
export const NEW_WORK_INFECTIONS = 'env/workInfections' as const;
export const DEATHS = 'env/deaths' as const;
export const TESTS_USED = 'env/testsUsed' as const;
export const POSITIVES = 'env/positives' as const;
export const PENDING_RESULTS = 'env/pendingResults' as const;
export const POSITIVES_THIS_WEEK = 'env/positivesThisWeek' as const;
export const POSITIVES_LAST_WEEK = 'env/positivesLastWeek' as const;
export const ISOLATED_NOW = 'env/isolatedNow' as const;
export const ISOLATED_AT_HOME = 'env/isolatedAtHome' as const;
export const DOSES_GIVEN = 'env/dosesGiven' as const;
export const VACCINE_FRONTIER = 'env/vaccineFrontier' as const;
