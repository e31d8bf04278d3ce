/**
 * @populace/core/testing: tools for plugin authors' test suites.
 */
export { checkPluginConformance } from './conformance.js';
export type { ConformanceCheck, ConformanceOptions, ConformanceReport } from './conformance.js';
export type { GradientCheckOptions } from './numeric-checks.js';
