/**
 * Staged (Erlang-type) latent and infectious periods of `epi/covid`, the
 * infectiousness profile over the infectious period, and the generation
 * interval they imply.
 *
 * A period of mean m and standard deviation sd is a chain of stages (one step
 * per day, every transition drawn from the state at the start of the day),
 * each left with daily probability p = c / m, where
 *
 *   c = m^2 / (sd^2 + m)      (clamped to [1, min(m, slots)])
 *
 * is a continuous stage count: the period is floor(c) stages for everyone,
 * then one more stage with probability f = c - floor(c) (a draw when the last
 * whole stage ends). A stage lasts a Geometric(p) number of days >= 1 (mean
 * 1 / p, variance (1 - p) / p^2), so the period has mean c / p = m exactly and
 * variance (c (1 - p) + f (1 - f)) / p^2 = sd^2 + f (1 - f) / p^2: the target
 * SD, plus what the mixture of floor(c) and floor(c) + 1 stages adds (at most
 * 0.25 / p^2; for the COVID defaults 2.12 days against 2). Unlike a rounded
 * whole number of stages, everything is continuous in m and sd: a duration
 * moved a little moves the model's expectations a little (finite differences
 * and gradients see the same smooth function), and a stage is never added or
 * removed by a parameter change (the chain's length is fixed per simulation,
 * `slots`; stages past floor(c) + 1 stay empty).
 *
 * Infectiousness in infectious stage j (0-based) is w_j = c q^j / Z with
 * Z = sum_{j < floor(c)} q^j + f q^floor(c) (q = infectiousnessDecay), so the
 * expected total infectiousness over the period is (sum_{j<floor(c)} w_j + f w_floor(c)) / p
 * = c / p = m, as with constant infectiousness: the link between R and beta
 * does not depend on q.
 */

/** The four duration parameters and the infectiousness decay, as numbers. */
export interface DurationSettings {
  readonly latentDays: number;
  readonly latentSd: number;
  readonly infectiousDays: number;
  readonly infectiousSd: number;
  readonly infectiousnessDecay: number;
}

/** Latent stages `epi/covid` holds (one 0/1 state tensor each): SDs down to about mean / 2 are realised; smaller ones as with 4 stages. */
export const MAX_LATENT_STAGES = 4;

/** Infectious stages `epi/covid` holds (two 0/1 state tensors each, asymptomatic and symptomatic). */
export const MAX_INFECTIOUS_STAGES = 6;

/** A period as a chain of stages: `stages` = whole + extra (continuous), each left with daily probability `exit`. */
export interface StageShape {
  /** The continuous stage count c. */
  readonly stages: number;
  /** floor(c), at most slots - 1: stages everyone passes through. */
  readonly whole: number;
  /** c - whole, in [0, 1]: probability of one more stage after the whole ones. */
  readonly extra: number;
  /** Daily probability of leaving a stage: c / mean. */
  readonly exit: number;
}

/**
 * The stage shape of a period of mean `mean` and SD `sd` days in a chain of `slots` stages (see the
 * file comment).
 *
 * @example
 * ```ts
 * stageShape(8, 2, 6); // { stages: 5.33, whole: 5, extra: 0.33, exit: 0.67 }: realised SD 2.12
 * ```
 */
export function stageShape(mean: number, sd: number, slots: number): StageShape {
  const m = Math.max(mean, 1e-9);
  const c = Math.max(1, Math.min(slots, m, (m * m) / (sd * sd + m)));
  const whole = Math.min(Math.floor(c), slots - 1);
  return { stages: c, whole, extra: c - whole, exit: Math.min(1, c / m) };
}

/** The latent period's shape in `slots` stages (at most MAX_LATENT_STAGES). */
export const latentShape = (s: Pick<DurationSettings, 'latentDays' | 'latentSd'>, slots = MAX_LATENT_STAGES): StageShape => stageShape(s.latentDays, s.latentSd, slots);

/** The infectious period's shape in `slots` stages (at most MAX_INFECTIOUS_STAGES). */
export const infectiousShape = (s: Pick<DurationSettings, 'infectiousDays' | 'infectiousSd'>, slots = MAX_INFECTIOUS_STAGES): StageShape => stageShape(s.infectiousDays, s.infectiousSd, slots);

/**
 * Stage slots a simulation holds for a period: room for floor(c) + 1 stages at the initial values and
 * one more (so that a parameter moved up by calibration or a replay still fits), at most `max`.
 */
export const stageSlots = (mean: number, sd: number, max: number): number => Math.min(max, Math.floor(stageShape(mean, sd, max).stages) + 2);

/** The realised SD of a period of this shape: sqrt(c (1 - p) + f (1 - f)) / p. */
export function stagedSd(shape: StageShape): number {
  const { stages: c, extra: f, exit: p } = shape;
  return Math.sqrt(c * (1 - p) + f * (1 - f)) / p;
}

/**
 * Relative infectiousness of the stages 0..whole of `shape` for decay `q`: c q^j / Z, Z = sum_{j<whole} q^j
 * + extra q^whole, so that the expected total sum_{j<whole} w_j + extra w_whole is c (constant, 1, when q = 1).
 */
export function stageWeights(shape: Pick<StageShape, 'stages' | 'whole' | 'extra'>, q: number): number[] {
  const raw = Array.from({ length: shape.whole + 1 }, (_, j) => q ** j);
  const total = raw.slice(0, shape.whole).reduce((a, b) => a + b, 0) + shape.extra * raw[shape.whole]!;
  return raw.map((v) => (total > 0 ? (shape.stages * v) / total : 1));
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
  const latent = latentShape(settings);
  const infectious = infectiousShape(settings);
  const w = stageWeights(infectious, settings.infectiousnessDecay);
  // stages: latent 0..whole, then infectious 0..whole; the last of each is entered with probability extra
  const kE = latent.whole + 1;
  const kI = infectious.whole + 1;
  const exitOf = (s: number) => (s < kE ? latent.exit : infectious.exit);
  // probability of going on to stage s + 1 when leaving stage s (the optional stages: extra; the last: 0)
  const onward = (s: number): number => {
    if (s === kE - 2) return latent.extra;
    if (s === kE - 1) return 1;
    if (s === kE + kI - 2) return infectious.extra;
    if (s === kE + kI - 1) return 0;
    return 1;
  };
  // a latent chain with whole = 0 is impossible (stages >= 1), so stage kE - 2 >= 0 whenever kE >= 2
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
      const p = exitOf(s);
      next[s]! += occ[s]! * (1 - p);
      if (s + 1 < kE + kI) next[s + 1]! += occ[s]! * p * onward(s);
      // leaving the last whole latent stage without the optional one: straight to infectious stage 0
      if (s === kE - 2) next[kE]! += occ[s]! * p * (1 - latent.extra);
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
