/**
 * The `migration` substep: today's wild-bird migration pressure in each
 * flyway, the seasonal curve times the flyway's relative pressure.
 */
import { defineSubstep, tf } from '@populace/core';
import { H5N1_PATHS as P } from './paths.js';
import { seasonalPressureTensor } from './season.js';

/** Flyway pressure parameters, in flyway order (Atlantic, Mississippi, Central, Pacific). */
export const FLYWAY_PRESSURE_PARAMS = Object.freeze(['pressureAtlantic', 'pressureMississippi', 'pressureCentral', 'pressurePacific'] as const);

/**
 * Writes `env/migrationPressure` [4]: season(startDay + step) x the flyway's relative pressure.
 *
 * @example
 * ```ts
 * defineModel({ ..., substeps: [migration, humanDay, farmDay] });
 * ```
 */
export const migration = defineSubstep({
  name: 'migration',
  description: 'seasonal wild-bird migration pressure per flyway (spring and fall peaks)',
  reads: [],
  writes: [P.migrationPressure],
  transition: (ctx) => {
    const p = (name: string) => ctx.param(name);
    const season = seasonalPressureTensor(tf.add(p('startDay'), ctx.step), {
      springPeakDay: p('springPeakDay'),
      fallPeakDay: p('fallPeakDay'),
      seasonWidth: p('seasonWidth'),
      springAmplitude: p('springAmplitude'),
      fallAmplitude: p('fallAmplitude'),
      offSeason: p('offSeason'),
    });
    return { [P.migrationPressure]: tf.mul(season, tf.stack(FLYWAY_PRESSURE_PARAMS.map(p))) };
  },
});
