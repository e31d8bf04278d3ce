/**
 * An individual-level, early-epidemic run of the `epi/covid` transmission
 * process on a population's contact layers, in plain JavaScript, with
 * infector tracking: who infected whom, on which day. It is the measuring
 * instrument behind the calibration of R (reproduction.ts) and the tests of
 * the generation interval.
 *
 * The process is the disease substep's, without interventions: one step per
 * day; an infectious agent c in infectious stage j exposes each contact i on
 * layer l (edge weight a) to the hazard
 *
 *   beta * (w_l / D) * a * inf_c * w_j * s_i   (community: times act_c * act_i)
 *
 * (inf_c: 1 symptomatic, asymptomaticInfectiousness otherwise; s_i: relative
 * susceptibility; act: community activity; D: the mean weighted degree), drawn
 * edge by edge (the probability of escaping all exposures is the same
 * exp(-sum of hazards) as the model's single draw); latent and infectious
 * stages are left with daily probabilities c / mean (geometric stays), the last one entered
 * with probability c - floor(c) (durations.ts), every transition drawn from
 * the state at the start of the day. CSR rows are read as out-contacts,
 * which is exact for symmetric layers (every built-in population); a hashed
 * layer of degree d sends to d uniformly drawn agents.
 *
 * Every draw is counter-based and keyed by the decision it makes: an exposure by
 * (run, day, layer, edge), a stay by (run, agent, stage) (drawn once, on entering the
 * stage: the first day k with u < 1 - (1 - p)^k, monotone in p), symptoms and the
 * optional stage by (run, agent), the order in which cases compete for a contact by
 * (run, day, agent). Runs at nearby parameter values therefore make the same draws for
 * the same decisions (common random numbers), so the measured curve, and the model's
 * R_mix, move smoothly with the parameters instead of by the run's sampling noise
 * (about 1% of R_mix) at every value: bench/epi-curve-smoothness.mjs measures it.
 *
 * A run starts `seeds` infectious agents drawn uniformly (generation 0) and
 * counts the infections caused by generation-2 cases, whose mix of ages,
 * layers and household states is that of an early epidemic: their mean number
 * of secondary infections is the realised reproduction number. Generations 3
 * and later transmit only within their household (where they compete with
 * generation 2 for the same members), which keeps a run small.
 */
import { hashString, streamKey, uint32At, uniformAt } from '@populace/core';

/** A uniform index in [0, n) for one counter. */
const indexAt = (key: number, index: number, n: number): number => uint32At(key, index) % n;
import type { StageShape } from './durations.js';

/** One contact layer as the run sees it. */
export interface BranchingLayer {
  /** CSR rows (out-contacts) or, for a hashed layer, undefined with `degree` set. */
  readonly rowPtr?: Int32Array;
  readonly colIdx?: Int32Array;
  readonly weights?: Float32Array;
  readonly degree?: number;
  /** w_l / D: the layer's weight over the mean weighted degree. */
  readonly scale: number;
  /** Whether the community activity factors apply (the community layer). */
  readonly community: boolean;
  /** Whether generations 3 and later still transmit on it (the household layer). */
  readonly household: boolean;
}

/** Everything a run needs, as plain arrays. */
export interface BranchingInput {
  readonly count: number;
  readonly layers: readonly BranchingLayer[];
  /** Per agent: relative susceptibility, probability of symptoms, community activity. */
  readonly susceptibility: Float32Array;
  readonly pSymptomatic: Float32Array;
  readonly activity: Float32Array;
  readonly asymptomaticInfectiousness: number;
  /** The latent and infectious periods as chains of stages. */
  readonly latent: StageShape;
  readonly infectious: StageShape;
  /** Infectiousness of each infectious stage 0..infectious.whole (durations.ts stageWeights). */
  readonly stageWeights: readonly number[];
}

/** What a set of runs measured. */
export interface BranchingResult {
  /** Generation-2 cases followed to the end of their infectious period. */
  readonly cases: number;
  /** Infections they caused. */
  readonly secondary: number;
  /** secondary / cases: the realised reproduction number. */
  readonly reproduction: number;
  /** Mean days from a generation-2 case's infection to the infections it caused. */
  readonly generationInterval: number;
}

/**
 * A sequential stream of uniforms in (0, 1) from core's counter-based generator: draw n is
 * `uniformAt(key, n)` with the key of `seed` and this instrument's stream name, so a seed gives
 * the same run everywhere.
 */
export function uniformStream(seed: number): () => number {
  const key = streamKey(seed, 0, hashString('epi/covid/branching'));
  let n = 0;
  return () => uniformAt(key, n++);
}

/**
 * The days an agent stays in a stage left with daily probability `exit`: the first day k with
 * u < 1 - (1 - exit)^k, i.e. ceil(ln u / ln(1 - exit)) (at least 1), Geometric(exit) for u uniform,
 * and monotone in `exit` for a given u.
 */
function stayDays(exit: number, u: number): number {
  if (exit >= 1) return 1;
  return Math.max(1, Math.ceil(Math.log(u) / Math.log1p(-exit)));
}

/** Stream ids of the run's draws, one per decision kind. */
const STREAMS = {
  seed: hashString('epi/covid/branching/seed'),
  symptoms: hashString('epi/covid/branching/symptoms'),
  order: hashString('epi/covid/branching/order'),
  latentStay: hashString('epi/covid/branching/latent-stay'),
  infectiousStay: hashString('epi/covid/branching/infectious-stay'),
  latentExtra: hashString('epi/covid/branching/latent-extra'),
  infectiousExtra: hashString('epi/covid/branching/infectious-extra'),
};
const edgeStream = (layer: number) => hashString(`epi/covid/branching/edge/${layer}`);
const targetStream = (layer: number) => hashString(`epi/covid/branching/target/${layer}`);

/** Stage slots per agent in the stay counters (an agent's stage j of a period draws index agent x 8 + j). */
const SLOT = 8;

/** Whether leaving stage `j` of a chain leaves the period: past the whole stages, or at the last whole one without the optional stage. */
function leavesChain(j: number, shape: StageShape, rand: () => number): boolean {
  if (j + 1 < shape.whole) return false;
  if (j + 1 === shape.whole) return !(rand() < shape.extra);
  return true;
}

const S = 0;
const E = 1;
const I = 2;
const DONE = 3;

/**
 * Runs the early epidemic with transmission rate `beta` from `seeds` random infectious agents per
 * run, repeating runs (at most `maxRuns`) until at least `minCases` generation-2 cases are followed.
 *
 * @example
 * ```ts
 * const { reproduction } = runBranching(input, 0.05, { seeds: 200, minCases: 4000, maxRuns: 50, seed: 1 });
 * ```
 */
export function runBranching(input: BranchingInput, beta: number, options: { seeds: number; minCases: number; maxRuns: number; seed: number }): BranchingResult {
  const n = input.count;
  const seed = options.seed;
  const status = new Uint8Array(n);
  const stage = new Uint8Array(n);
  const left = new Int32Array(n);
  const gen = new Uint8Array(n);
  const day0 = new Int32Array(n);
  const symptomatic = new Uint8Array(n);
  const edgeStreams = input.layers.map((_, l) => edgeStream(l));
  const targetStreams = input.layers.map((_, l) => targetStream(l));
  let cases = 0;
  let secondary = 0;
  let giTotal = 0;
  const seeds = Math.max(1, Math.min(options.seeds, n));
  for (let run = 0; run < options.maxRuns && cases < options.minCases; run++) {
    // keys of this run's per-agent draws (symptoms, stays, the optional stages)
    const key = (stream: number) => streamKey(seed, run, stream);
    const [symptomsKey, latentStayKey, infectiousStayKey, latentExtraKey, infectiousExtraKey] = [STREAMS.symptoms, STREAMS.latentStay, STREAMS.infectiousStay, STREAMS.latentExtra, STREAMS.infectiousExtra].map(key) as [number, number, number, number, number];
    const enterLatent = (c: number, j: number) => {
      stage[c] = j;
      left[c] = stayDays(input.latent.exit, uniformAt(latentStayKey, c * SLOT + j));
    };
    const enterInfectious = (c: number, j: number) => {
      stage[c] = j;
      left[c] = stayDays(input.infectious.exit, uniformAt(infectiousStayKey, c * SLOT + j));
    };
    const touched: number[] = [];
    let active: number[] = [];
    const seedKey = key(STREAMS.seed);
    for (let k = 0; k < seeds; k++) {
      const i = indexAt(seedKey, k, n);
      if (status[i] !== S) continue;
      status[i] = I;
      enterInfectious(i, 0);
      gen[i] = 0;
      day0[i] = 0;
      symptomatic[i] = uniformAt(symptomsKey, i) < input.pSymptomatic[i]! ? 1 : 0;
      touched.push(i);
      active.push(i);
    }
    let earlyLeft = active.length;
    for (let day = 0; day < 1000 && earlyLeft > 0; day++) {
      const step = ((run << 10) | day) >>> 0;
      const fresh: number[] = [];
      // the order in which cases compete for a contact: a priority per (run, day, agent)
      const orderKey = streamKey(seed, step, STREAMS.order);
      const infectious = active.filter((c) => status[c] === I);
      const priority = new Map(infectious.map((c) => [c, uniformAt(orderKey, c)]));
      infectious.sort((a, b) => priority.get(a)! - priority.get(b)!);
      const edgeKeys = edgeStreams.map((h) => streamKey(seed, step, h));
      const targetKeys = targetStreams.map((h) => streamKey(seed, step, h));
      for (const c of infectious) {
        const g = gen[c]!;
        const force = beta * (symptomatic[c] ? 1 : input.asymptomaticInfectiousness) * input.stageWeights[stage[c]!]!;
        input.layers.forEach((layer, l) => {
          if (g >= 3 && !layer.household) return;
          const f = force * layer.scale * (layer.community ? input.activity[c]! : 1);
          const hashed = !(layer.rowPtr && layer.colIdx);
          const degree = layer.degree ?? 0;
          const from = hashed ? 0 : layer.rowPtr![c]!;
          const to = hashed ? degree : layer.rowPtr![c + 1]!;
          const w = layer.weights;
          const edgeKey = edgeKeys[l]!;
          for (let e = from; e < to; e++) {
            // an exposure's draws are keyed by its edge (CSR index, or agent x degree + k when hashed)
            const index = hashed ? (c * degree + e) >>> 0 : e;
            const j = hashed ? indexAt(targetKeys[l]!, index, n) : layer.colIdx![e]!;
            if (status[j] !== S) continue;
            const h = f * (w ? w[e]! : 1) * input.susceptibility[j]! * (layer.community ? input.activity[j]! : 1);
            // 1 - exp(-h) <= h: most draws are decided without the exponential
            const u = uniformAt(edgeKey, index);
            if (u >= h || u >= 1 - Math.exp(-h)) continue;
            status[j] = E;
            enterLatent(j, 0);
            gen[j] = Math.min(g + 1, 255);
            day0[j] = day;
            touched.push(j);
            fresh.push(j);
            if (g === 2) {
              secondary++;
              giTotal += day - day0[c]!;
            }
            if (g + 1 <= 2) earlyLeft++;
          }
        });
      }
      const next: number[] = [];
      for (const c of active) {
        if (status[c] === E) {
          if (--left[c]! === 0) {
            const j = stage[c]!;
            if (leavesChain(j, input.latent, () => uniformAt(latentExtraKey, c))) {
              status[c] = I;
              enterInfectious(c, 0);
              symptomatic[c] = uniformAt(symptomsKey, c) < input.pSymptomatic[c]! ? 1 : 0;
            } else enterLatent(c, j + 1);
          }
          next.push(c);
        } else if (status[c] === I) {
          if (--left[c]! === 0) {
            const j = stage[c]!;
            if (leavesChain(j, input.infectious, () => uniformAt(infectiousExtraKey, c))) {
              status[c] = DONE;
              if (gen[c]! <= 2) earlyLeft--;
              if (gen[c] === 2) cases++;
              continue;
            }
            enterInfectious(c, j + 1);
          }
          next.push(c);
        }
      }
      active = next.concat(fresh);
    }
    for (const i of touched) status[i] = S;
  }
  return { cases, secondary, reproduction: cases > 0 ? secondary / cases : 0, generationInterval: secondary > 0 ? giTotal / secondary : 0 };
}
