/**
 * Where the stochastic derivative spends its alternatives (`allocation: 'adaptive'`): how many
 * alternatives per replicate each step gets, chosen from a pilot run.
 *
 * The estimate is a sum over steps of independent per-step terms, so its variance is
 * sum_t sigma_t^2 / m_t for m_t alternatives at step t, and an alternative branched at step t costs
 * the T - t model steps left (twice for a first passage's pair). For a fixed cost the variance is
 * least with m_t proportional to sigma_t / sqrt(cost_t) (Neyman allocation in stratified sampling).
 * The uniform default (m_t = 1) spends most of its cost on early alternatives, the longest; on a
 * saturating epidemic with first-passage infection their pair of paths (passed at t, passed a step
 * later) usually ends with the same total, so they cost the most and vary the least (GRADIENTS.md,
 * "Where the variance is"). A pilot replicate measures sigma_t (the second moment of its per-step
 * terms, smoothed over neighbouring steps since one replicate per step is noisy, and shrunk towards
 * equal variances), and the steps' m_t follow. Any m_t > 0 leaves the estimate unbiased (roulette
 * for the fraction, each alternative weighted 1 / m_t: ./stochastic-alternatives.ts); the floor
 * keeps steps that the pilot saw quiet from being sampled so rarely that one large term there
 * dominates.
 */

/** One alternative of the pilot: the step it branched at, its importance factors per entry, and its objective minus the primal's. */
export interface PilotAlternative {
  readonly step: number;
  readonly factors: readonly number[];
  readonly difference: number;
}

export interface AllocationOptions {
  /** Steps of the run (T). */
  readonly steps: number;
  /** Replicates the pilot ran (its terms are averaged over them). */
  readonly pilotReplicates: number;
  /** Cost of the allocation as a share of the uniform one (m_t = 1 at every step); default 1. */
  readonly budget?: number;
  /** Least alternatives per replicate at a step with alternatives (default 0.25). */
  readonly floor?: number;
  /** Most alternatives per replicate at a step (default 16). */
  readonly cap?: number;
  /** Steps either side pooled when estimating a step's variance (default 2). */
  readonly window?: number;
  /** Weight of equal variances at every step in each step's estimate (default 0.2; 1 = by cost alone). */
  readonly shrinkage?: number;
}

/**
 * Alternatives per replicate for each step (m_t >= floor where the pilot had alternatives; 1 where
 * it had none, which costs nothing). By cost alone (m_t proportional to 1 / sqrt(cost_t)) when the
 * pilot's terms were all zero.
 */
export function allocateAlternatives(pilot: readonly PilotAlternative[], options: AllocationOptions): number[] {
  const { steps, pilotReplicates } = options;
  const budget = options.budget ?? 1;
  const floor = options.floor ?? 0.25;
  const cap = options.cap ?? 16;
  const window = options.window ?? 2;
  const shrinkage = options.shrinkage ?? 0.2;
  const entries = pilot[0]?.factors.length ?? 0;
  // per step: each entry's term summed over the step's alternatives, and the model steps they cost
  const terms = Array.from({ length: steps }, () => new Float64Array(entries));
  const cost = new Float64Array(steps);
  for (const a of pilot) {
    if (a.step < 0 || a.step >= steps) continue;
    a.factors.forEach((f, e) => (terms[a.step]![e] = terms[a.step]![e]! + f * a.difference));
    cost[a.step] = cost[a.step]! + (steps - a.step) / pilotReplicates;
  }
  // each entry's share of its own second moment at each step, so that one allocation serves all
  const second = terms.map((row) => Array.from(row, (v) => (v * v) / pilotReplicates));
  const totals = Array.from({ length: entries }, (_, e) => second.reduce((a, row) => a + row[e]!, 0));
  const active = totals.map((_, e) => e).filter((e) => totals[e]! > 0);
  const costed = cost.reduce((a, c) => (c > 0 ? a + 1 : a), 0);
  if (costed === 0) return Array.from({ length: steps }, () => 1);
  const share = second.map((row) => (active.length === 0 ? 0 : active.reduce((a, e) => a + row[e]! / totals[e]!, 0) / active.length));
  const pooled = share.map((_, t) => {
    let sum = 0;
    let n = 0;
    for (let s = Math.max(0, t - window); s <= Math.min(steps - 1, t + window); s++) {
      sum += share[s]!;
      n += 1;
    }
    return sum / n;
  });
  // shrunk towards equal variances at every step (all of it when the pilot saw no term: then the
  // allocation follows the cost alone), since one pilot replicate can miss a step's rare terms
  const prior = active.length === 0 ? 1 : shrinkage;
  const variance = pooled.map((v, t) => (cost[t]! > 0 ? (1 - prior) * v + prior / costed : 0));
  const raw = variance.map((v, t) => (cost[t]! > 0 ? Math.sqrt(v / cost[t]!) : 0));
  const spent = raw.reduce((a, r, t) => a + r * cost[t]!, 0);
  const uniformCost = cost.reduce((a, c) => a + c, 0);
  if (!(spent > 0)) return Array.from({ length: steps }, () => 1);
  // scale so that the clamped allocation costs the budget (the floor and cap move the cost; a few passes settle it)
  const clamped = (scale: number) => raw.map((r, t) => (cost[t]! > 0 ? Math.min(cap, Math.max(floor, r * scale)) : 1));
  const costOf = (m: readonly number[]) => m.reduce((a, v, t) => a + v * cost[t]!, 0);
  const target = budget * uniformCost;
  let scale = target / spent;
  for (let pass = 0; pass < 20; pass++) {
    const m = clamped(scale);
    const free = m.reduce((a, v, t) => (cost[t]! > 0 && v > floor && v < cap ? a + v * cost[t]! : a), 0);
    const fixed = costOf(m) - free;
    if (free <= 0 || Math.abs(costOf(m) - target) < 1e-6 * target) break;
    scale *= Math.max(target - fixed, 0.01 * target) / free;
  }
  return clamped(scale);
}
