/**
 * @populace/cli: the `populace` command as a function. The bin is
 * `populace`; `main` runs the same CLI in process.
 */
export { main } from './main.js';
export type { CliIO, TextSink } from './io.js';
export type { RunDocument } from './summary.js';
export type { ModelSummary } from './commands/models.js';
export type { PluginSummary } from './commands/plugins.js';
export type { CalibrateDocument } from './commands/calibrate.js';
export type { SensitivityDocument } from './commands/sensitivity.js';
export type { PopulationDescribeDocument } from './commands/population.js';
export type { PopulationStats } from './population-stats.js';
