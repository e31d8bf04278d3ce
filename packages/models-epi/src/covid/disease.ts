/**
 * The disease substep of `epi/covid`: infection and progression in one day,
 * every transition drawn from the state at the start of the day (so that
 * nobody moves twice in a day):
 *
 *   S  -> E    hazard beta * s_i * pressure_i (exposure.ts), beta = R_mix / (infectiousDays * kappa);
 *              the work layer's share of the pressure attributes the infections to it (workInfections)
 *   E  -> I    through c_E latent stages (continuous: floor(c_E) stages, then one more with
 *              probability c_E - floor(c_E)), each left with daily probability c_E / latentDays
 *              (durations.ts); symptomatic (Is) with the age's P(symptomatic), else Ia
 *   Ia -> R    through c_I infectious stages likewise, each left with daily probability
 *              c_I / infectiousDays; infectiousness in stage j is w_j (the infectiousnessDecay profile)
 *
 * Each stage is its own 0/1 tensor (a staged compartment), every move a Bernoulli draw masked by
 * its stage (one uniform stream for all stages of a period: an agent is in one stage at a time),
 * so a gradient follows an extra infection through every stage, as it would an agent.
 * Infection is a first passage (ctx.sample.threshold): an agent is infected on the day that
 * 1 - exp(-the hazard it has received so far) passes its own uniform threshold, the law of daily
 * draws with the same hazards (Sellke); every later draw of an agent's course (stage exits, symptoms,
 * severity, hospital outcome) is keyed by the days since its infection (a clock: SampleOptions),
 * so the course is the same whichever day the infection comes. The law is unchanged (an agent
 * is infected once); what changes is the coupling of two runs that differ by one infection: the
 * stochastic derivative's alternative paths (GRADIENTS.md) keep who escapes and their courses.
 *   Is -> exit as Ia; at exit severe with P(severe | symptomatic) -> hospital,
 *              fatal with P(death | severe) -> Hf, else H; the others -> R
 *   H  -> R    probability 1 / hospitalRecoveryDays
 *   Hf -> M    probability 1 / hospitalDeathDays
 *
 * kappa = mix[0] + asymptomaticInfectiousness * mix[1] (state.ts) and R_mix is the reproduction
 * number of a homogeneously mixing copy of the population: well-mixed, R_mix = R; on contact layers
 * R_mix comes from the measured curve of reproduction.ts, so that R is the realised one.
 */
import { applyFlows, defineSubstep, linearCombine, sumAll, tf } from '@populace/core';
import { LAYER_DEGREES, LAYER_PATHS } from '../layers.js';
import { detached } from '../detached.js';
import { paramNumber } from '../param-value.js';
import { weightedSum } from '../weighted-sum.js';
import { MAX_INFECTIOUS_STAGES, MAX_LATENT_STAGES, stageShape } from './durations.js';
import { covidHazard, isolationEffect } from './exposure.js';
import { COMMUNITY_ACTIVITY, DEATHS, E, H, HF, IA, INFECTED_DAY, INFECTION_HAZARD, INFECTIOUSNESS_MIX, IS, ISOLATED, ISOLATED_NOW, M, NEW_INFECTIONS, NEW_WORK_INFECTIONS, P_DEATH, P_SEVERE, P_SYMPTOMATIC, R, REPRODUCTION_CURVE, S, STAGE_SLOTS, SUSCEPTIBILITY, asymptomaticStagePath, latentStagePath, symptomaticStagePath } from './paths.js';
import { curveShift } from './curve-sensitivity.js';
import { receivedHazard } from './received-hazard.js';
import { mixingReproduction } from './reproduction.js';

/** The daily transmission rate beta from the week's R (differentiable in R, infectiousDays and asymptomaticInfectiousness). */
function transmissionRate(rMix: tf.Tensor, infectiousDays: tf.Tensor, asymptomatic: tf.Tensor, mix: tf.Tensor): tf.Tensor {
  const [sym, asym] = tf.unstack(mix);
  const kappa = tf.add(sym!, tf.mul(asymptomatic, asym!));
  return tf.div(rMix, tf.mul(infectiousDays, tf.maximum(kappa, 1e-12)));
}

/** A period's stage shape as tensors, differentiable in its mean and SD (durations.ts stageShape). */
interface ShapeTensors {
  /** floor(c), from the numbers (it picks the stage that is optional). */
  readonly whole: number;
  /** c (scalar tensor), c - whole, and the daily exit probability c / mean. */
  readonly stages: tf.Tensor;
  readonly extra: tf.Tensor;
  readonly exit: tf.Tensor;
}

function shapeTensors(mean: tf.Tensor, sd: tf.Tensor, slots: number): ShapeTensors {
  const m = tf.maximum(mean, 1e-9);
  const c = tf.maximum(tf.minimum(tf.minimum(tf.div(tf.square(m), tf.add(tf.square(sd), m)), m), slots), 1);
  // whole from the parameters' numbers (host copies on webgpu), not by reading c back from the device
  const { whole } = stageShape(mean.dataSync()[0]!, sd.dataSync()[0]!, slots);
  return { whole, stages: c, extra: tf.sub(c, whole), exit: tf.minimum(tf.div(c, m), 1) };
}

/** Stage weights w_j = c q^j / (sum_{j<whole} q^j + extra q^whole) for j < slots, as scalar tensors differentiable in q and c. */
function stageWeightTensors(decay: tf.Tensor, shape: ShapeTensors, slots: number): tf.Tensor[] {
  const q = tf.minimum(tf.maximum(decay, 1e-6), 1);
  const powers = Array.from({ length: slots }, (_, j) => (j === 0 ? tf.scalar(1) : tf.pow(q, j)));
  const total = tf.add(tf.addN(powers.slice(0, shape.whole)), tf.mul(shape.extra, powers[shape.whole]!));
  const scale = tf.div(shape.stages, total);
  return powers.map((p) => tf.mul(scale, p));
}

const LATENT = Array.from({ length: MAX_LATENT_STAGES }, (_, j) => latentStagePath(j));
const ASYMPTOMATIC = Array.from({ length: MAX_INFECTIOUS_STAGES }, (_, j) => asymptomaticStagePath(j));
const SYMPTOMATIC = Array.from({ length: MAX_INFECTIOUS_STAGES }, (_, j) => symptomaticStagePath(j));

/**
 * One day of a chain of stages: every stage's moves drawn (`draw`; all the slots, so that the events
 * do not change in number with the parameters), the optional stage `whole` entered by the share of
 * those leaving stage whole - 1 that `onward` draws; returns the next stages and those leaving the
 * period (stages past `whole`, empty unless a parameter moved down during the run, leave directly).
 * The moves are freed when the chain returns (a tape keeps what its gradients need), so the next
 * chain's agent-sized outputs reuse their memory instead of new buffers (core's shared output pool).
 */
function chain(stages: readonly tf.Tensor[], entering: tf.Tensor, whole: number, draw: (x: tf.Tensor) => tf.Tensor, onward: (leaving: tf.Tensor) => tf.Tensor): { next: tf.Tensor[]; leaving: tf.Tensor } {
  return tf.tidy(() => chainDay(stages, entering, whole, draw, onward));
}

function chainDay(stages: readonly tf.Tensor[], entering: tf.Tensor, whole: number, draw: (x: tf.Tensor) => tf.Tensor, onward: (leaving: tf.Tensor) => tf.Tensor): { next: tf.Tensor[]; leaving: tf.Tensor } {
  const moves = stages.map(draw);
  const goesOn = onward(moves[whole - 1]!);
  const next = stages.map((x, j) => {
    const incoming = j === 0 ? entering : j < whole ? moves[j - 1]! : j === whole ? goesOn : undefined;
    const [out] = incoming ? linearCombine([x, incoming, moves[j]!], [[1, 1, -1]]) : linearCombine([x, moves[j]!], [[1, -1]]);
    return out!;
  });
  const rest = moves.slice(whole);
  const [leaving] = linearCombine([moves[whole - 1]!, goesOn, ...rest], [[1, -1, ...rest.map(() => 1)]]);
  return { next, leaving: leaving! };
}

/** Infection, onset, recovery, hospitalisation and death for one day. */
export const disease = defineSubstep({
  name: 'disease',
  description: 'infection (well-mixed or along the contact layers, with isolation), onset, recovery, hospitalisation and death',
  reads: [S, E, IA, IS, H, HF, R, M, INFECTED_DAY, INFECTION_HAZARD, ...LATENT, ...ASYMPTOMATIC, ...SYMPTOMATIC, STAGE_SLOTS, SUSCEPTIBILITY, P_SYMPTOMATIC, P_SEVERE, P_DEATH, COMMUNITY_ACTIVITY, ISOLATED, ISOLATED_NOW, INFECTIOUSNESS_MIX, REPRODUCTION_CURVE, LAYER_DEGREES, ...LAYER_PATHS],
  writes: [S, E, IA, IS, H, HF, R, M, INFECTED_DAY, INFECTION_HAZARD, ...LATENT, ...ASYMPTOMATIC, ...SYMPTOMATIC, NEW_INFECTIONS, NEW_WORK_INFECTIONS, DEATHS],
  // smooth in the parameters with the draws held: the stochastic derivative carries it along its replays
  continuous: [INFECTION_HAZARD],
  transition: (ctx) => {
    const [s, e, ia, is, h, hf, r, m] = [S, E, IA, IS, H, HF, R, M].map((p) => ctx.get(p)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const asymptomatic = ctx.param('asymptomaticInfectiousness');
    const infectiousDays = ctx.param('infectiousDays');
    const curve = ctx.get(REPRODUCTION_CURVE).dataSync();
    const weekR = ctx.param('R');
    const shift = curveShift((name) => ctx.param(name), curve, weekR.dataSync()[0]!);
    const rMix = shift ? tf.add(mixingReproduction(weekR, curve), shift) : mixingReproduction(weekR, curve);
    const beta = transmissionRate(rMix, infectiousDays, asymptomatic, ctx.get(INFECTIOUSNESS_MIX));
    const [latentSlots, infectiousSlots] = ctx.get(STAGE_SLOTS).dataSync() as unknown as [number, number];
    const latentShape = shapeTensors(ctx.param('latentDays'), ctx.param('latentSd'), latentSlots);
    const infectiousShape = shapeTensors(infectiousDays, ctx.param('infectiousSd'), infectiousSlots);
    const latent = LATENT.slice(0, latentSlots).map((p) => ctx.get(p));
    const asym = ASYMPTOMATIC.slice(0, infectiousSlots).map((p) => ctx.get(p));
    const sym = SYMPTOMATIC.slice(0, infectiousSlots).map((p) => ctx.get(p));
    // infectiousness: sum_j w_j (Is_j + a Ia_j), one fused weighted sum
    const w = stageWeightTensors(ctx.param('infectiousnessDecay'), infectiousShape, infectiousSlots);
    const infectiousness = weightedSum([...sym, ...asym], [...w, ...w.map((wj) => tf.mul(asymptomatic, wj))]);
    const iso = isolationEffect(ctx, ctx.get(ISOLATED_NOW), ctx.get(ISOLATED));
    const activity = paramNumber(ctx, 'communityAgeMixing') > 0 ? ctx.get(COMMUNITY_ACTIVITY) : undefined;
    const { rate, exposure, work } = covidHazard(ctx, beta, ctx.get(SUSCEPTIBILITY), infectiousness, iso, activity);
    // infection against a threshold per agent (Sellke): infected on the day 1 - exp(-hazard received
    // so far) passes the agent's one uniform. The law of daily draws, but who escapes depends on the
    // hazard received, not on the days it came, which keeps the stochastic derivative's alternative
    // paths coupled (GRADIENTS.md). The reverse pass sees only today's hazard, with the surrogate of
    // a daily draw (d/dh of 1 - exp(-h), not of 1 - exp(-received)).
    const received = receivedHazard(ctx.get(INFECTION_HAZARD), tf.mul(rate, exposure));
    const exposed = ctx.sample.threshold(received, { mask: s, stream: 'infect', scale: 'hazard' });
    // competing hazards: an infection came through the work layer with probability work / exposure
    const workInfections = work ? sumAll(tf.mul(exposed, tf.div(work, tf.add(exposure, 1e-12)))) : tf.scalar(0);

    const infectedDay = ctx.get(INFECTED_DAY);
    // days since infection: infectedDay holds 1 + the day (0 before), so the seeds' clock is the
    // step and the uninfected's the step + 1 (their draws are masked, but the straight-through
    // gradient of a mask reads them). As a product and a sum, whose cpu kernels write shared
    // memory that the parallel event kernels read in place (no copy per event call).
    const clock = tf.add(tf.mul(infectedDay, tf.scalar(-1)), tf.scalar(ctx.step + 1));
    const course = (p: tf.Tensor, mask: tf.Tensor, stream: string) => ctx.sample.bernoulli(p, { mask, stream, clock });
    const daily = (days: string) => tf.div(1, ctx.param(days));
    const stageDay = (stages: tf.Tensor[], entering: tf.Tensor, shape: ShapeTensors, stream: string) =>
      chain(stages, entering, shape.whole, (x) => course(shape.exit, x, `${stream}-exit`), (x) => course(shape.extra, x, `${stream}-extra`));
    const latentDay = stageDay(latent, exposed, latentShape, 'latent');
    const onset = latentDay.leaving;
    const becomeSymptomatic = course(ctx.get(P_SYMPTOMATIC), onset, 'symptoms');
    const [asymptomaticOnset] = linearCombine([onset, becomeSymptomatic], [[1, -1]]);
    const asymDay = stageDay(asym, asymptomaticOnset!, infectiousShape, 'asymptomatic');
    const symDay = stageDay(sym, becomeSymptomatic, infectiousShape, 'symptomatic');
    const asymptomaticExit = asymDay.leaving;
    const symptomaticExit = symDay.leaving;
    const [nextLatent, nextAsym, nextSym] = [latentDay.next, asymDay.next, symDay.next];
    const severe = course(ctx.get(P_SEVERE), symptomaticExit, 'severe');
    const fatal = course(ctx.get(P_DEATH), severe, 'fatal');
    const discharged = course(daily('hospitalRecoveryDays'), h, 'discharge');
    const died = course(daily('hospitalDeathDays'), hf, 'death');
    // Flows chain through intermediate compartments where that keeps them linear:
    // E -> Ia (all onsets), Ia -> Is (the symptomatic ones); Is -> R (all exits), R -> H (severe), H -> Hf (fatal).
    const next = applyFlows({ s, e, ia, is, h, hf, r, m }, [
      ['s', 'e', exposed],
      ['e', 'ia', onset],
      ['ia', 'is', becomeSymptomatic],
      ['ia', 'r', asymptomaticExit],
      ['is', 'r', symptomaticExit],
      ['r', 'h', severe],
      ['h', 'hf', fatal],
      ['h', 'r', discharged],
      ['hf', 'm', died],
    ]);
    return {
      ...Object.fromEntries(nextLatent.map((x, j) => [LATENT[j]!, x])),
      ...Object.fromEntries(nextAsym.map((x, j) => [ASYMPTOMATIC[j]!, x])),
      ...Object.fromEntries(nextSym.map((x, j) => [SYMPTOMATIC[j]!, x])),
      // 0 until infected, so the update is one fused pass; recorded without a gradient (it only picks uniforms)
      [INFECTION_HAZARD]: received,
      [INFECTED_DAY]: detached(exposed, (x) => linearCombine([infectedDay, x], [[1, ctx.step + 1]])[0]!),
      [S]: next.s, [E]: next.e, [IA]: next.ia, [IS]: next.is, [H]: next.h, [HF]: next.hf, [R]: next.r, [M]: next.m,
      [NEW_INFECTIONS]: sumAll(exposed),
      [NEW_WORK_INFECTIONS]: workInfections,
      [DEATHS]: sumAll(died),
    };
  },
});
