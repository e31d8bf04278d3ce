/**
 * The disease substep of `epi/covid`: infection and progression in one day,
 * every transition drawn from the state at the start of the day (so that
 * nobody moves twice in a day):
 *
 *   S  -> E    hazard beta * s_i * pressure_i (exposure.ts), beta = R_week / (infectiousDays * kappa)
 *   E  -> I    probability 1 / latentDays; symptomatic (Is) with the age's P(symptomatic), else Ia
 *   Ia -> R    probability 1 / infectiousDays
 *   Is -> exit probability 1 / infectiousDays; severe with P(severe | symptomatic) -> hospital,
 *              fatal with P(death | severe) -> Hf, else H; the others -> R
 *   H  -> R    probability 1 / hospitalRecoveryDays
 *   Hf -> M    probability 1 / hospitalDeathDays
 *
 * kappa = mix[0] + asymptomaticInfectiousness * mix[1] (state.ts), so R is the reproduction number
 * of the population under homogeneous mixing: an infectious agent transmits on D >= 1 days,
 * E[D] = infectiousDays, at rate beta * infectiousness * s_i / N to each susceptible i.
 */
import { applyFlows, defineSubstep, sumAll, tf } from '@populace/core';
import { LAYER_DEGREES, LAYER_PATHS } from '../layers.js';
import { weightedSum } from '../weighted-sum.js';
import { covidHazard, isolationEffect } from './exposure.js';
import { DEATHS, E, H, HF, IA, INFECTIOUSNESS_MIX, IS, ISOLATED, ISOLATED_NOW, M, NEW_INFECTIONS, P_DEATH, P_SEVERE, P_SYMPTOMATIC, R, S, SUSCEPTIBILITY } from './paths.js';

/** The daily transmission rate beta from the week's R (differentiable in R, infectiousDays and asymptomaticInfectiousness). */
function transmissionRate(r: tf.Tensor, infectiousDays: tf.Tensor, asymptomatic: tf.Tensor, mix: tf.Tensor): tf.Tensor {
  const [sym, asym] = tf.unstack(mix);
  const kappa = tf.add(sym!, tf.mul(asymptomatic, asym!));
  return tf.div(r, tf.mul(infectiousDays, tf.maximum(kappa, 1e-12)));
}

/** Infection, onset, recovery, hospitalisation and death for one day. */
export const disease = defineSubstep({
  name: 'disease',
  description: 'infection (well-mixed or along the contact layers, with isolation), onset, recovery, hospitalisation and death',
  reads: [S, E, IA, IS, H, HF, R, M, SUSCEPTIBILITY, P_SYMPTOMATIC, P_SEVERE, P_DEATH, ISOLATED, ISOLATED_NOW, INFECTIOUSNESS_MIX, LAYER_DEGREES, ...LAYER_PATHS],
  writes: [S, E, IA, IS, H, HF, R, M, NEW_INFECTIONS, DEATHS],
  transition: (ctx) => {
    const [s, e, ia, is, h, hf, r, m] = [S, E, IA, IS, H, HF, R, M].map((p) => ctx.get(p)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const asymptomatic = ctx.param('asymptomaticInfectiousness');
    const infectiousDays = ctx.param('infectiousDays');
    const beta = transmissionRate(ctx.param('R'), infectiousDays, asymptomatic, ctx.get(INFECTIOUSNESS_MIX));
    const infectiousness = weightedSum([is, ia], [1, asymptomatic]);
    const iso = isolationEffect(ctx, ctx.get(ISOLATED_NOW), ctx.get(ISOLATED));
    const { rate, exposure } = covidHazard(ctx, beta, ctx.get(SUSCEPTIBILITY), infectiousness, iso);
    const exposed = ctx.sample.hazard(rate, exposure, { mask: s, stream: 'infect' });

    const daily = (days: string) => tf.div(1, ctx.param(days));
    const onset = ctx.sample.bernoulli(daily('latentDays'), { mask: e, stream: 'onset' });
    const becomeSymptomatic = ctx.sample.bernoulli(ctx.get(P_SYMPTOMATIC), { mask: onset, stream: 'symptoms' });
    const pInfectiousExit = daily('infectiousDays');
    const asymptomaticExit = ctx.sample.bernoulli(pInfectiousExit, { mask: ia, stream: 'asymptomatic-exit' });
    const symptomaticExit = ctx.sample.bernoulli(pInfectiousExit, { mask: is, stream: 'symptomatic-exit' });
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
      [S]: next.s, [E]: next.e, [IA]: next.ia, [IS]: next.is, [H]: next.h, [HF]: next.hf, [R]: next.r, [M]: next.m,
      [NEW_INFECTIONS]: sumAll(exposed),
      [DEATHS]: sumAll(died),
    };
  },
});
