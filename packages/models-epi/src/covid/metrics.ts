/**
 * Daily metrics of `epi/covid`. S + E + I + R + M = N every day: I counts
 * everyone past the latent period and not yet recovered or dead (infectious
 * in the community, or in hospital; H is the hospital part of I).
 */
import { sumAll, sumOf, tf, type AgentPath, type MetricSpec } from '@populace/core';
import { DEATHS, DOSES_GIVEN, E, H, HF, IA, IS, ISOLATED_AT_HOME, M, NEW_INFECTIONS, NEW_WORK_INFECTIONS, POSITIVES, R, S, TESTS_USED, VACCINATED } from './paths.js';

const sumOfAll = (paths: readonly AgentPath[], description: string): MetricSpec => ({
  description,
  reads: [...paths],
  compute: (ctx) => tf.addN(paths.map((p) => sumAll(ctx.get(p)))),
});

/** The metrics, in the order they are reported. */
export const COVID_METRICS: Record<string, MetricSpec> = {
  newInfections: sumOf(NEW_INFECTIONS, 'new infections that day (S -> E)'),
  S: sumOf(S, 'susceptible'),
  E: sumOf(E, 'exposed: infected, not yet infectious'),
  I: sumOfAll([IA, IS, H, HF], 'infected past the latent period: infectious (asymptomatic or symptomatic) or in hospital'),
  R: sumOf(R, 'recovered'),
  M: sumOf(M, 'dead (cumulative)'),
  H: sumOfAll([H, HF], 'in hospital with severe disease (part of I)'),
  deaths: sumOf(DEATHS, 'deaths that day'),
  testsUsed: sumOf(TESTS_USED, 'tests done that day'),
  positives: sumOf(POSITIVES, 'positive results received that day (true and false positives)'),
  isolated: sumOf(ISOLATED_AT_HOME, 'people isolating at home after a positive result'),
  dosesGiven: sumOf(DOSES_GIVEN, 'vaccine doses given that day'),
  vaccinated: sumOf(VACCINATED, 'people vaccinated so far'),
  cost: {
    description: 'money spent that day: dosesGiven * costPerDose + testsUsed * costPerTest (USD)',
    reads: [DOSES_GIVEN, TESTS_USED],
    compute: (ctx) => tf.add(tf.mul(ctx.get(DOSES_GIVEN), ctx.param('costPerDose')), tf.mul(ctx.get(TESTS_USED), ctx.param('costPerTest'))),
  },
  workInfections: sumOf(NEW_WORK_INFECTIONS, 'new infections that day through the work layer (each infection weighted by the work share of its hazard; 0 without a work layer)'),
};
