/**
 * Staged (Erlang-type) latent and infectious periods of `epi/covid`, the
 * infectiousness profile over the infectious period, and the generation
 * interval they imply.
 *
 * A period of mean m and standard deviation sd is k stages in a row (one step
 * per day, every transition drawn from the state at the start of the day), each
 * left with daily probability p = k / m. A stage lasts a Geometric(p) number of
 * days >= 1 (mean 1 / p, variance (1 - p) / p^2), so the period has mean
 * k / p = m and variance k (1 - p) / p^2 = m^2 (1 - p) / k; solving for k gives
 *
 *   k = m^2 / (sd^2 + m)      (rounded to an integer in [1, m], so that p <= 1)
 *
 * which matches the mean exactly and the SD as closely as an integer k allows
 * (a discrete-time negative binomial, the day-step analogue of an Erlang).
 *
 * Infectiousness in infectious stage j (0-based) is w_j = k q^j / sum_i q^i
 * (q = infectiousnessDecay): sum_j w_j = k and every stage lasts m / k days on
 * average, so the expected total infectiousness over the period is m, as with
 * constant infectiousness, and the link between R and beta does not depend on q.
 */

/** The four duration parameters and the infectiousness decay, as numbers. */
export interface DurationSettings {
  readonly latentDays: number;
  readonly latentSd: number;
  readonly infectiousDays: number;
  readonly infectiousSd: number;
  readonly infectiousnessDecay: number;
}

/** Most stages a period may have in general (a period with SD -> 0 tends to a fixed length). */
export const MAX_STAGES = 64;

/** Latent stages `epi/covid` holds (one 0/1 state tensor each): SDs down to about mean / 2 - 1 / 2 are realised; smaller ones as with 4 stages. */
export const MAX_LATENT_STAGES = 4;

/** Infectious stages `epi/covid` holds (two 0/1 state tensors each, asymptomatic and symptomatic). */
export const MAX_INFECTIOUS_STAGES = 6;

/** The latent stages of `epi/covid` for these settings: stagesFor, at most MAX_LATENT_STAGES. */
export const latentStages = (s: Pick<DurationSettings, 'latentDays' | 'latentSd'>): number => Math.min(MAX_LATENT_STAGES, stagesFor(s.latentDays, s.latentSd));

/** The infectious stages of `epi/covid` for these settings: stagesFor, at most MAX_INFECTIOUS_STAGES. */
export const infectiousStages = (s: Pick<DurationSettings, 'infectiousDays' | 'infectiousSd'>): number => Math.min(MAX_INFECTIOUS_STAGES, stagesFor(s.infectiousDays, s.infectiousSd));

/**
 * The number of stages k for a period of mean `mean` and SD `sd` days (see the file comment).
 *
 * @example
 * ```ts
 * stagesFor(8, 2); // 5: stages of 1.6 days, realised SD 2.19
 * ```
 */
export function stagesFor(mean: number, sd: number): number {
  if (!(mean > 0)) return 1;
  const k = Math.round((mean * mean) / (sd * sd + mean));
  return Math.max(1, Math.min(MAX_STAGES, Math.floor(mean), k));
}

/** The realised SD of a period of `k` stages with mean `mean` (k stages of Geometric(k / mean) days). */
export function stagedSd(mean: number, k: number): number {
  const p = Math.min(1, k / mean);
  return Math.sqrt((k * (1 - p)) / (p * p));
}

/**
 * Relative infectiousness of each of `k` infectious stages for decay `q`: k q^j / sum_i q^i,
 * which sums to k (constant infectiousness when q = 1).
 */
export function stageWeights(k: number, q: number): number[] {
  const raw = Array.from({ length: k }, (_, j) => q ** j);
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => (total > 0 ? (k * v) / total : 1));
}

/** A generation-interval distribution on whole days. */
export interface GenerationInterval {
  /** pmf[d]: probability that an infection caused by a case happens d days after the case's own infection. */
  readonly pmf: readonly number[];
  readonly mean: number;
  readonly sd: number;
}

/**
 * The generation interval of `epi/covid` with these durations, exactly, from the day-step chain: a
 * case infected on day 0 is in latent stage 0 on day 1, and on each day in infectious stage j it
 * exerts infectiousness w_j. The pmf is the expected infectiousness on each day over its total
 * (truncated where less than 1e-9 of it remains).
 *
 * @example
 * ```ts
 * generationInterval({ latentDays: 3, latentSd: 1.5, infectiousDays: 8, infectiousSd: 2, infectiousnessDecay: 0.5 }).mean; // about 5.9
 * ```
 */
export function generationInterval(settings: DurationSettings): GenerationInterval {
  const kE = latentStages(settings);
  const kI = infectiousStages(settings);
  const pE = Math.min(1, kE / settings.latentDays);
  const pI = Math.min(1, kI / settings.infectiousDays);
  const w = stageWeights(kI, settings.infectiousnessDecay);
  // occupancy of latent stages then infectious stages, one day at a time
  let occ = new Float64Array(kE + kI);
  occ[0] = 1;
  const daily: number[] = [0];
  let remaining = 1;
  for (let day = 1; day < 2000 && remaining > 1e-12; day++) {
    let inf = 0;
    for (let j = 0; j < kI; j++) inf += occ[kE + j]! * w[j]!;
    daily.push(inf);
    const next = new Float64Array(kE + kI);
    for (let s = 0; s < kE + kI; s++) {
      const p = s < kE ? pE : pI;
      next[s]! += occ[s]! * (1 - p);
      if (s + 1 < kE + kI) next[s + 1]! += occ[s]! * p;
    }
    occ = next;
    remaining = occ.reduce((a, b) => a + b, 0);
  }
  const total = daily.reduce((a, b) => a + b, 0);
  const pmf = daily.map((v) => v / total);
  const mean = pmf.reduce((a, p, d) => a + p * d, 0);
  const sd = Math.sqrt(pmf.reduce((a, p, d) => a + p * (d - mean) ** 2, 0));
  return { pmf, mean, sd };
}

/**
 * The Euler-Lotka growth rate r (per day) of a discrete-time renewal process with reproduction
 * number `r0` and generation-interval pmf: the root of sum_d R pmf[d] e^{-r d} = 1 (bisection).
 *
 * @example
 * ```ts
 * eulerLotkaRate(2.5, generationInterval(settings).pmf); // about 0.17 per day
 * ```
 */
export function eulerLotkaRate(r0: number, pmf: readonly number[]): number {
  const f = (r: number) => pmf.reduce((a, p, d) => a + r0 * p * Math.exp(-r * d), 0) - 1;
  let lo = -2;
  let hi = 5;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
