/**
 * The `humans` substep: spillover from a farm's infected birds to its
 * workers, limited human-to-human transmission over the human contacts, and
 * recovery. It runs before the farm substep, so workers are exposed on every
 * day their farm holds infected birds, the day of culling included.
 */
import { applyFlows, defineSubstep, tf } from '@populace/core';
import { gatherFarms } from './farm-link.js';
import { H5N1_PATHS as P } from './paths.js';

/**
 * Each day a susceptible worker is infected with probability 1 - exp(-spilloverRate) while their
 * farm holds infected birds (infected or detected, not yet culled); a susceptible person with k
 * infectious human contacts with probability 1 - exp(-humanToHumanRate * k) (no human-to-human
 * transmission without a `human-contacts` network); an infected person recovers with
 * probability humanRecovery.
 *
 * @example
 * ```ts
 * defineModel({ ..., substeps: [migration, humanDay, farmDay] });
 * ```
 */
export const humanDay = defineSubstep({
  name: 'humans',
  description: 'farm-worker spillover, human-to-human transmission, recovery',
  reads: [P.humanSusceptible, P.humanInfected, P.humanRecovered, P.personFarm, P.worker, P.farmInfected, P.farmDetected, 'networks/human-contacts'],
  writes: [P.humanSusceptible, P.humanInfected, P.humanRecovered, P.humanCases, P.spilloverCases, P.humanToHumanCases],
  transition: (ctx) => {
    const [s, i, r] = [ctx.get(P.humanSusceptible), ctx.get(P.humanInfected), ctx.get(P.humanRecovered)];
    const birdsInfected = tf.add(ctx.get(P.farmInfected), ctx.get(P.farmDetected));
    const exposure = tf.mul(gatherFarms(birdsInfected, ctx.get(P.personFarm)), ctx.get(P.worker));
    const spill = ctx.sample.hazard(ctx.param('spilloverRate'), exposure, { mask: s, stream: 'spillover' });
    const contacts = ctx.network('human-contacts') ? ctx.messagePass('human-contacts', i) : undefined;
    const h2h = contacts ? ctx.sample.hazard(ctx.param('humanToHumanRate'), contacts, { mask: tf.sub(s, spill), stream: 'contact' }) : tf.zerosLike(s);
    const recover = ctx.sample.bernoulli(ctx.param('humanRecovery'), { mask: i, stream: 'recover' });
    const next = applyFlows({ s, i, r }, [['s', 'i', spill], ['s', 'i', h2h], ['i', 'r', recover]]);
    const [spilled, contacted] = [tf.sum(spill), tf.sum(h2h)];
    return {
      [P.humanSusceptible]: next.s,
      [P.humanInfected]: next.i,
      [P.humanRecovered]: next.r,
      [P.humanCases]: tf.add(spilled, contacted),
      [P.spilloverCases]: spilled,
      [P.humanToHumanCases]: contacted,
    };
  },
});
