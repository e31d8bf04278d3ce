/**
 * Epidemic theory for the discrete-time schemes of `epi/sir` and `epi/seir`
 * (one step per day, every transition drawn from the state at the start of
 * the day), used to validate them and handy for choosing parameters.
 *
 * Derivations:
 *  - Reproduction number. An infectious agent recovers at the end of each day with probability
 *    p = 1 - exp(-gamma), so it transmits on D >= 1 days, D ~ Geometric(p), E[D] = 1 / p. On each
 *    of them a susceptible's hazard grows by beta / N, so it infects beta * E[D] of a fully
 *    susceptible population: R0 = beta / (1 - exp(-gamma)).
 *  - Final size. A susceptible escapes day t with probability exp(-beta I_t / N), so it escapes
 *    the whole epidemic with exp(-beta sum_t I_t / N); every agent ever infected (seeds included)
 *    contributes its D days to sum_t I_t, so for large N sum_t I_t / N = z E[D] and
 *    1 - z = (1 - z0) exp(-R0 z), z the fraction ever infected and z0 the seeded fraction
 *    (z = 1 - exp(-R0 z) as z0 -> 0).
 *  - Early growth. While S ~ N, the infectious count follows I_{t+1} = (1 - p) I_t + beta I_t
 *    (SIR), a growth factor lambda = exp(-gamma) + beta per day, r = ln(lambda). With a latent
 *    compartment (E -> I with probability q = 1 - exp(-sigma)):
 *    [E, I]_{t+1} = [[1 - q, beta], [q, 1 - p]] [E, I]_t, lambda its largest eigenvalue.
 *  - Network mode (per-edge hazard beta w a / D): an edge carries infection with probability
 *    T = 1 - E[(exp(-lambda_e))^D] = 1 - p e / (1 - (1 - p) e), e = exp(-beta a / D) for an infectious
 *    period D ~ Geometric(p); on a configuration-model graph R0 = T (<k^2> - <k>) / <k>.
 */

/** R0 of the discrete-time scheme: beta / (1 - exp(-gamma)). */
export function discreteR0(beta: number, gamma: number): number {
  return beta / (1 - Math.exp(-gamma));
}

/**
 * The fraction ever infected z solving 1 - z = (1 - z0) exp(-r0 z) (the largest root), with a
 * fraction z0 infected at the start.
 *
 * @example
 * ```ts
 * finalSize(2, 0); // 0.7968...
 * ```
 */
export function finalSize(r0: number, z0 = 0): number {
  let z = 1;
  for (let i = 0; i < 10_000; i++) {
    const next = 1 - (1 - z0) * Math.exp(-r0 * z);
    if (Math.abs(next - z) < 1e-14) return next;
    z = next;
  }
  return z;
}

/** Daily growth factor of early SIR epidemics: exp(-gamma) + beta. */
export function sirGrowthFactor(beta: number, gamma: number): number {
  return Math.exp(-gamma) + beta;
}

/**
 * Daily growth factor of an early epidemic with a latent stage: the largest eigenvalue of
 * [[1 - q, b], [q, 1 - p]], where b is the daily transmission of one infectious agent, q the daily
 * probability of leaving the latent stage and p that of leaving the infectious one.
 */
export function latentGrowthFactor(b: number, q: number, p: number): number {
  const trace = 2 - q - p;
  const det = (1 - q) * (1 - p) - b * q;
  return trace / 2 + Math.sqrt((trace * trace) / 4 - det);
}

/** Daily growth factor of early SEIR epidemics: latentGrowthFactor(beta, 1 - exp(-sigma), 1 - exp(-gamma)). */
export function seirGrowthFactor(beta: number, sigma: number, gamma: number): number {
  return latentGrowthFactor(beta, 1 - Math.exp(-sigma), 1 - Math.exp(-gamma));
}

/**
 * Transmissibility of one edge whose per-day hazard is `hazard` while the sender is infectious for
 * D ~ Geometric(1 - exp(-gamma)) days: 1 - E[exp(-hazard D)].
 */
export function edgeTransmissibility(hazard: number, gamma: number): number {
  const p = 1 - Math.exp(-gamma);
  const e = Math.exp(-hazard);
  return 1 - (p * e) / (1 - (1 - p) * e);
}

/**
 * Final size of SIR with per-edge transmissibility T on a configuration-model graph with degree
 * distribution `degreeProbabilities` (index k: P(degree = k)) and a random fraction z0 seeded:
 * theta = 1 - T + T (1 - z0) G1(theta), z = 1 - (1 - z0) G0(theta) (bond percolation; exact for
 * large graphs when edges transmit independently, e.g. a one-day infectious period).
 */
export function networkFinalSize(degreeProbabilities: readonly number[], transmissibility: number, z0 = 0): number {
  const mean = degreeProbabilities.reduce((acc, p, k) => acc + k * p, 0);
  const g0 = (x: number) => degreeProbabilities.reduce((acc, p, k) => acc + p * x ** k, 0);
  const g1 = (x: number) => degreeProbabilities.reduce((acc, p, k) => (k === 0 ? acc : acc + (k * p * x ** (k - 1)) / mean), 0);
  let theta = 0;
  for (let i = 0; i < 10_000; i++) {
    const next = 1 - transmissibility + transmissibility * (1 - z0) * g1(theta);
    if (Math.abs(next - theta) < 1e-14) break;
    theta = next;
  }
  return 1 - (1 - z0) * g0(theta);
}

/** (<k^2> - <k>) / <k> of a degree distribution: the mean excess degree along an edge. */
export function meanExcessDegree(degreeProbabilities: readonly number[]): number {
  const m1 = degreeProbabilities.reduce((acc, p, k) => acc + k * p, 0);
  const m2 = degreeProbabilities.reduce((acc, p, k) => acc + k * k * p, 0);
  return (m2 - m1) / m1;
}

/**
 * Final size of a well-mixed epidemic whose agents differ in susceptibility s_j and mean
 * infectiousness c_j (transmission rank one: s_i * c_j), scaled so that its reproduction number is
 * `r`: every susceptible i escapes with exp(-s_i L), where the force L solves
 * L = (r / kappa) * mean_j(c_j (1 - (1 - z0) exp(-s_j L))), kappa = mean_j(s_j c_j). Returns the
 * fraction ever infected (seeds included). For `epi/covid` in well-mixed mode, s is the relative
 * susceptibility and c = P(symptomatic) + asymptomaticInfectiousness * P(asymptomatic) by age.
 */
export function rankOneFinalSize(r: number, susceptibility: readonly number[], infectiousness: readonly number[], z0 = 0): number {
  return rankOneAttack(r, susceptibility, infectiousness, z0).reduce((a, b) => a + b, 0) / susceptibility.length;
}

/** Each agent's probability of ever being infected in the setting of rankOneFinalSize. */
export function rankOneAttack(r: number, susceptibility: readonly number[], infectiousness: readonly number[], z0 = 0): number[] {
  const n = susceptibility.length;
  const kappa = susceptibility.reduce((acc, s, j) => acc + s * infectiousness[j]!, 0) / n;
  const attack = (force: number) => susceptibility.map((s) => 1 - (1 - z0) * Math.exp(-s * force));
  let force = (r / kappa) * (infectiousness.reduce((a, b) => a + b, 0) / n);
  for (let i = 0; i < 10_000; i++) {
    const z = attack(force);
    const next = (r / kappa) * (z.reduce((acc, zj, j) => acc + infectiousness[j]! * zj, 0) / n);
    if (Math.abs(next - force) < 1e-12) break;
    force = next;
  }
  return attack(force);
}
