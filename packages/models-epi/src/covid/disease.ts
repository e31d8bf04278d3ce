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
 *   Is -> exit as Ia; at exit severe with P(severe | symptomatic) -> hospital,
 *              fatal with P(death | severe) -> Hf, else H; the others -> R
 *   H  -> R    probability 1 / hospitalRecoveryDays
 *   Hf -> M    probability 1 / hospitalDeathDays
 *
 * kappa = mix[0] + asymptomaticInfectiousness * mix[1] (state.ts) and R_mix is the reproduction
 * number of a homogeneously mixing copy of the population: well-mixed, R_mix = R; on contact layers
 * R_mix comes from the measured curve of reproduction.ts, so that R is the realised one.
 */
import { applyFlows, defineSubstep, sumAll, tf } from '@populace/core';
import { detached } from '../detached.js';
import { LAYER_DEGREES, LAYER_PATHS } from '../layers.js';
import { paramNumber } from '../param-value.js';
import { weightedSum } from '../weighted-sum.js';
import { stagesFor } from './durations.js';
import { covidHazard, isolationEffect } from './exposure.js';
import { COMMUNITY_ACTIVITY, DEATHS, E, H, HF, IA, INFECTIOUSNESS_MIX, IS, ISOLATED, ISOLATED_NOW, M, NEW_INFECTIONS, P_DEATH, P_SEVERE, P_SYMPTOMATIC, R, REPRODUCTION_CURVE, S, STAGE, SUSCEPTIBILITY } from './paths.js';
import { mixingReproduction } from './reproduction.js';

/** The daily transmission rate beta from the week's R (differentiable in R, infectiousDays and asymptomaticInfectiousness). */
function transmissionRate(rMix: tf.Tensor, infectiousDays: tf.Tensor, asymptomatic: tf.Tensor, mix: tf.Tensor): tf.Tensor {
  const [sym, asym] = tf.unstack(mix);
  const kappa = tf.add(sym!, tf.mul(asymptomatic, asym!));
  return tf.div(rMix, tf.mul(infectiousDays, tf.maximum(kappa, 1e-12)));
}

/**
 * Infectiousness of each agent's infectious stage: k q^stage / sum_j q^j = exp(stage ln q) * k (1 - q) / (1 - q^k),
 * differentiable in q (the infectiousnessDecay parameter).
 */
function stageProfile(stage: tf.Tensor, decay: tf.Tensor, k: number): tf.Tensor {
  const q = tf.minimum(tf.maximum(decay, 1e-6), 1 - 1e-6);
  const norm = tf.div(tf.mul(k, tf.sub(1, q)), tf.sub(1, tf.pow(q, k)));
  return tf.mul(norm, tf.exp(tf.mul(stage, tf.log(q))));
}

/** Whether an agent is in the last of k stages (1) or not (0). */
const lastStage = (stage: tf.Tensor, k: number) => detached(stage, (x) => tf.cast(tf.greaterEqual(x, k - 1 - 1e-3), 'float32'));

/** Infection, onset, recovery, hospitalisation and death for one day. */
export const disease = defineSubstep({
  name: 'disease',
  description: 'infection (well-mixed or along the contact layers, with isolation), onset, recovery, hospitalisation and death',
  reads: [S, E, IA, IS, H, HF, R, M, STAGE, SUSCEPTIBILITY, P_SYMPTOMATIC, P_SEVERE, P_DEATH, COMMUNITY_ACTIVITY, ISOLATED, ISOLATED_NOW, INFECTIOUSNESS_MIX, REPRODUCTION_CURVE, LAYER_DEGREES, ...LAYER_PATHS],
  writes: [S, E, IA, IS, H, HF, R, M, STAGE, NEW_INFECTIONS, DEATHS],
  transition: (ctx) => {
    const [s, e, ia, is, h, hf, r, m] = [S, E, IA, IS, H, HF, R, M].map((p) => ctx.get(p)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const stage = ctx.get(STAGE);
    const asymptomatic = ctx.param('asymptomaticInfectiousness');
    const infectiousDays = ctx.param('infectiousDays');
    const rMix = mixingReproduction(ctx.param('R'), ctx.get(REPRODUCTION_CURVE).dataSync());
    const beta = transmissionRate(rMix, infectiousDays, asymptomatic, ctx.get(INFECTIOUSNESS_MIX));
    const kE = stagesFor(paramNumber(ctx, 'latentDays'), paramNumber(ctx, 'latentSd'));
    const kI = stagesFor(paramNumber(ctx, 'infectiousDays'), paramNumber(ctx, 'infectiousSd'));
    const profile = kI > 1 ? stageProfile(stage, ctx.param('infectiousnessDecay'), kI) : undefined;
    const infectiousNow = weightedSum([is, ia], [1, asymptomatic]);
    const infectiousness = profile ? tf.mul(infectiousNow, profile) : infectiousNow;
    const iso = isolationEffect(ctx, ctx.get(ISOLATED_NOW), ctx.get(ISOLATED));
    const activity = paramNumber(ctx, 'communityAgeMixing') > 0 ? ctx.get(COMMUNITY_ACTIVITY) : undefined;
    const { rate, exposure } = covidHazard(ctx, beta, ctx.get(SUSCEPTIBILITY), infectiousness, iso, activity);
    const exposed = ctx.sample.hazard(rate, exposure, { mask: s, stream: 'infect' });

    const daily = (days: string) => tf.div(1, ctx.param(days));
    // one draw per latent agent: leaving the last stage is onset, leaving another is the next stage
    const latentMove = ctx.sample.bernoulli(tf.minimum(tf.div(kE, ctx.param('latentDays')), 1), { mask: e, stream: 'onset' });
    const latentLast = kE > 1 ? lastStage(stage, kE) : undefined;
    const onset = latentLast ? tf.mul(latentMove, latentLast) : latentMove;
    const becomeSymptomatic = ctx.sample.bernoulli(ctx.get(P_SYMPTOMATIC), { mask: onset, stream: 'symptoms' });
    const pInfectiousMove = tf.minimum(tf.div(kI, infectiousDays), 1);
    const infectiousLast = kI > 1 ? lastStage(stage, kI) : undefined;
    const asymptomaticMove = ctx.sample.bernoulli(pInfectiousMove, { mask: ia, stream: 'asymptomatic-exit' });
    const symptomaticMove = ctx.sample.bernoulli(pInfectiousMove, { mask: is, stream: 'symptomatic-exit' });
    const asymptomaticExit = infectiousLast ? tf.mul(asymptomaticMove, infectiousLast) : asymptomaticMove;
    const symptomaticExit = infectiousLast ? tf.mul(symptomaticMove, infectiousLast) : symptomaticMove;
    const severe = ctx.sample.bernoulli(ctx.get(P_SEVERE), { mask: symptomaticExit, stream: 'severe' });
    const fatal = ctx.sample.bernoulli(ctx.get(P_DEATH), { mask: severe, stream: 'fatal' });
    const discharged = ctx.sample.bernoulli(daily('hospitalRecoveryDays'), { mask: h, stream: 'discharge' });
    const died = ctx.sample.bernoulli(daily('hospitalDeathDays'), { mask: hf, stream: 'death' });
    // stage bookkeeping (not differentiated): +1 on a move, back to 0 when a period ends
    const nextStage = detached(stage, (x) => {
      const moved = tf.add(latentMove, tf.add(asymptomaticMove, symptomaticMove));
      const ended = tf.add(onset, tf.add(asymptomaticExit, symptomaticExit));
      return tf.mul(tf.add(x, moved), tf.sub(1, ended));
    });
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
      [STAGE]: nextStage,
      [S]: next.s, [E]: next.e, [IA]: next.ia, [IS]: next.is, [H]: next.h, [HF]: next.hf, [R]: next.r, [M]: next.m,
      [NEW_INFECTIONS]: sumAll(exposed),
      [DEATHS]: sumAll(died),
    };
  },
});
