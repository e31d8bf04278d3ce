/**
 * The disease substep of `epi/covid`: infection and progression in one day,
 * every transition drawn from the state at the start of the day (so that
 * nobody moves twice in a day):
 *
 *   S  -> E    hazard beta * s_i * pressure_i (exposure.ts), beta = R_mix / (infectiousDays * kappa)
 *   E  -> I    through kE latent stages, each left with daily probability kE / latentDays
 *              (durations.ts); symptomatic (Is) with the age's P(symptomatic), else Ia
 *   Ia -> R    through kI infectious stages, each left with daily probability kI / infectiousDays;
 *              infectiousness in stage j is w_j (the infectiousnessDecay profile)
 *
 * Each stage is its own 0/1 tensor (a staged compartment), every move a Bernoulli draw masked by
 * its stage (one uniform stream for all stages of a period: an agent is in one stage at a time),
 * so a gradient follows an extra infection through every stage, as it would an agent.
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
import { paramNumber } from '../param-value.js';
import { weightedSum } from '../weighted-sum.js';
import { infectiousStages, latentStages, MAX_INFECTIOUS_STAGES, MAX_LATENT_STAGES } from './durations.js';
import { covidHazard, isolationEffect } from './exposure.js';
import { COMMUNITY_ACTIVITY, DEATHS, E, H, HF, IA, INFECTIOUSNESS_MIX, IS, ISOLATED, ISOLATED_NOW, M, NEW_INFECTIONS, P_DEATH, P_SEVERE, P_SYMPTOMATIC, R, REPRODUCTION_CURVE, S, SUSCEPTIBILITY, asymptomaticStagePath, latentStagePath, symptomaticStagePath } from './paths.js';
import { curveShift } from './curve-sensitivity.js';
import { mixingReproduction } from './reproduction.js';

/** The daily transmission rate beta from the week's R (differentiable in R, infectiousDays and asymptomaticInfectiousness). */
function transmissionRate(rMix: tf.Tensor, infectiousDays: tf.Tensor, asymptomatic: tf.Tensor, mix: tf.Tensor): tf.Tensor {
  const [sym, asym] = tf.unstack(mix);
  const kappa = tf.add(sym!, tf.mul(asymptomatic, asym!));
  return tf.div(rMix, tf.mul(infectiousDays, tf.maximum(kappa, 1e-12)));
}

/** Stage weights w_j = k q^j / sum_i q^i as scalar tensors, differentiable in q (infectiousnessDecay). */
function stageWeightTensors(decay: tf.Tensor, k: number): tf.Tensor[] {
  const q = tf.minimum(tf.maximum(decay, 1e-6), 1);
  const powers = Array.from({ length: k }, (_, j) => (j === 0 ? tf.scalar(1) : tf.pow(q, j)));
  const total = tf.addN(powers);
  return powers.map((p) => tf.div(tf.mul(k, p), total));
}

const LATENT = Array.from({ length: MAX_LATENT_STAGES }, (_, j) => latentStagePath(j));
const ASYMPTOMATIC = Array.from({ length: MAX_INFECTIOUS_STAGES }, (_, j) => asymptomaticStagePath(j));
const SYMPTOMATIC = Array.from({ length: MAX_INFECTIOUS_STAGES }, (_, j) => symptomaticStagePath(j));

/** Stage j after a day: + what entered it (the previous stage's moves, or `entering` for stage 0) - its own moves. */
function advance(stages: readonly tf.Tensor[], moves: readonly tf.Tensor[], entering: tf.Tensor): tf.Tensor[] {
  return stages.map((x, j) => {
    const [next] = linearCombine([x, j === 0 ? entering : moves[j - 1]!, moves[j]!], [[1, 1, -1]]);
    return next!;
  });
}

/** Infection, onset, recovery, hospitalisation and death for one day. */
export const disease = defineSubstep({
  name: 'disease',
  description: 'infection (well-mixed or along the contact layers, with isolation), onset, recovery, hospitalisation and death',
  reads: [S, E, IA, IS, H, HF, R, M, ...LATENT, ...ASYMPTOMATIC, ...SYMPTOMATIC, SUSCEPTIBILITY, P_SYMPTOMATIC, P_SEVERE, P_DEATH, COMMUNITY_ACTIVITY, ISOLATED, ISOLATED_NOW, INFECTIOUSNESS_MIX, REPRODUCTION_CURVE, LAYER_DEGREES, ...LAYER_PATHS],
  writes: [S, E, IA, IS, H, HF, R, M, ...LATENT, ...ASYMPTOMATIC, ...SYMPTOMATIC, NEW_INFECTIONS, DEATHS],
  transition: (ctx) => {
    const [s, e, ia, is, h, hf, r, m] = [S, E, IA, IS, H, HF, R, M].map((p) => ctx.get(p)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const asymptomatic = ctx.param('asymptomaticInfectiousness');
    const infectiousDays = ctx.param('infectiousDays');
    const curve = ctx.get(REPRODUCTION_CURVE).dataSync();
    const weekR = ctx.param('R');
    const shift = curveShift((name) => ctx.param(name), curve, weekR.dataSync()[0]!);
    const rMix = shift ? tf.add(mixingReproduction(weekR, curve), shift) : mixingReproduction(weekR, curve);
    const beta = transmissionRate(rMix, infectiousDays, asymptomatic, ctx.get(INFECTIOUSNESS_MIX));
    const kE = latentStages({ latentDays: paramNumber(ctx, 'latentDays'), latentSd: paramNumber(ctx, 'latentSd') });
    const kI = infectiousStages({ infectiousDays: paramNumber(ctx, 'infectiousDays'), infectiousSd: paramNumber(ctx, 'infectiousSd') });
    const latent = LATENT.slice(0, kE).map((p) => ctx.get(p));
    const asym = ASYMPTOMATIC.slice(0, kI).map((p) => ctx.get(p));
    const sym = SYMPTOMATIC.slice(0, kI).map((p) => ctx.get(p));
    // infectiousness: sum_j w_j (Is_j + a Ia_j), one fused weighted sum
    const w = kI > 1 ? stageWeightTensors(ctx.param('infectiousnessDecay'), kI) : [tf.scalar(1)];
    const infectiousness = weightedSum([...sym, ...asym], [...w, ...w.map((wj) => tf.mul(asymptomatic, wj))]);
    const iso = isolationEffect(ctx, ctx.get(ISOLATED_NOW), ctx.get(ISOLATED));
    const activity = paramNumber(ctx, 'communityAgeMixing') > 0 ? ctx.get(COMMUNITY_ACTIVITY) : undefined;
    const { rate, exposure } = covidHazard(ctx, beta, ctx.get(SUSCEPTIBILITY), infectiousness, iso, activity);
    const exposed = ctx.sample.hazard(rate, exposure, { mask: s, stream: 'infect' });

    const daily = (days: string) => tf.div(1, ctx.param(days));
    const pLatent = tf.minimum(tf.div(kE, ctx.param('latentDays')), 1);
    const pInfectious = tf.minimum(tf.div(kI, infectiousDays), 1);
    const latentMoves = latent.map((x) => ctx.sample.bernoulli(pLatent, { mask: x, stream: 'onset' }));
    const onset = latentMoves[kE - 1]!;
    const becomeSymptomatic = ctx.sample.bernoulli(ctx.get(P_SYMPTOMATIC), { mask: onset, stream: 'symptoms' });
    const asymMoves = asym.map((x) => ctx.sample.bernoulli(pInfectious, { mask: x, stream: 'asymptomatic-exit' }));
    const symMoves = sym.map((x) => ctx.sample.bernoulli(pInfectious, { mask: x, stream: 'symptomatic-exit' }));
    const asymptomaticExit = asymMoves[kI - 1]!;
    const symptomaticExit = symMoves[kI - 1]!;
    const [asymptomaticOnset] = linearCombine([onset, becomeSymptomatic], [[1, -1]]);
    const nextLatent = advance(latent, latentMoves, exposed);
    const nextAsym = advance(asym, asymMoves, asymptomaticOnset!);
    const nextSym = advance(sym, symMoves, becomeSymptomatic);
    const severe = ctx.sample.bernoulli(ctx.get(P_SEVERE), { mask: symptomaticExit, stream: 'severe' });
    const fatal = ctx.sample.bernoulli(ctx.get(P_DEATH), { mask: severe, stream: 'fatal' });
    const discharged = ctx.sample.bernoulli(daily('hospitalRecoveryDays'), { mask: h, stream: 'discharge' });
    const died = ctx.sample.bernoulli(daily('hospitalDeathDays'), { mask: hf, stream: 'death' });
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
      [S]: next.s, [E]: next.e, [IA]: next.ia, [IS]: next.is, [H]: next.h, [HF]: next.hf, [R]: next.r, [M]: next.m,
      [NEW_INFECTIONS]: sumAll(exposed),
      [DEATHS]: sumAll(died),
    };
  },
});
