/**
 * Vaccination: people are offered a course in the order of the vaccination
 * queue (vaccinePriority, computed at initialisation), dosesPerDay /
 * dosesPerCourse places a day (whole courses of the doses available so far:
 * floor((day + 1) * dosesPerDay / dosesPerCourse) by the end of a day), until
 * the budget buys no further course
 * (floor(vaccineBudget / (costPerDose * dosesPerCourse)) courses; no limit
 * when vaccineBudget is 0). Whoever is alive and not in hospital when their
 * place comes gets the whole course that day and from then on has their
 * susceptibility multiplied by 1 - vaccineEfficacy (a leaky vaccine;
 * infected and recovered people are vaccinated too, as they would be without
 * a test). Doses never exceed the budget.
 */
import { defineSubstep, linearCombine, sumAll, tf } from '@populace/core';
import { paramNumber } from '../param-value.js';
import { DOSES_GIVEN, H, HF, M, SUSCEPTIBILITY, VACCINATED, VACCINE_FRONTIER, VACCINE_RANK } from './paths.js';

/** Courses the budget buys (Infinity without a budget or with free doses). */
export function affordableCourses(budget: number, costPerDose: number, dosesPerCourse: number): number {
  if (budget <= 0 || costPerDose <= 0) return Infinity;
  return Math.floor(budget / (costPerDose * dosesPerCourse) + 1e-9);
}

/** The day's window of the vaccination queue: its people are vaccinated. */
export const vaccination = defineSubstep({
  name: 'vaccination',
  description: 'the next places of the vaccination queue, within daily capacity and budget',
  reads: [VACCINE_RANK, SUSCEPTIBILITY, VACCINATED, H, HF, M, VACCINE_FRONTIER],
  writes: [SUSCEPTIBILITY, VACCINATED, VACCINE_FRONTIER, DOSES_GIVEN],
  transition: (ctx) => {
    const course = paramNumber(ctx, 'dosesPerCourse');
    // courses offered by the end of today: whole courses of the doses available so far
    const offered = Math.floor(((ctx.step + 1) * paramNumber(ctx, 'dosesPerDay')) / course + 1e-9);
    const courses = affordableCourses(paramNumber(ctx, 'vaccineBudget'), paramNumber(ctx, 'costPerDose'), course);
    const from = ctx.get(VACCINE_FRONTIER).dataSync()[0]!;
    const to = Math.min(courses, offered, ctx.count('people'));
    if (!(to > from)) return { [DOSES_GIVEN]: tf.scalar(0) };
    const rank = ctx.get(VACCINE_RANK);
    const inWindow = tf.cast(tf.logicalAnd(tf.greaterEqual(rank, from), tf.less(rank, to)), 'float32');
    const newly = tf.mul(inWindow, tf.sub(1, tf.addN([ctx.get(H), ctx.get(HF), ctx.get(M)])));
    const susceptibility = ctx.get(SUSCEPTIBILITY);
    const [protectedSusceptibility] = linearCombine([susceptibility, tf.mul(susceptibility, newly)], [[1, -paramNumber(ctx, 'vaccineEfficacy')]]);
    return {
      [SUSCEPTIBILITY]: protectedSusceptibility!,
      [VACCINATED]: tf.add(ctx.get(VACCINATED), newly),
      [VACCINE_FRONTIER]: tf.scalar(to, 'int32'),
      [DOSES_GIVEN]: tf.mul(sumAll(newly), course),
    };
  },
});
