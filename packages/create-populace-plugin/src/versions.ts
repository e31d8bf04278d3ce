/**
 * The versions a scaffolded plugin depends on: the @populace/core range it peers on, and the
 * tools it builds, tests and publishes with (the ones this repository uses; a test keeps them in
 * step with the repository's own package.json files).
 */

/** The @populace/core range a new plugin peer-depends on. */
export const CORE_RANGE = '>=0.1.0 <1.0.0';

/** Development tools of a new plugin, by package. */
export const DEV_TOOLS: Readonly<Record<string, string>> = {
  '@changesets/cli': '^2.27.0',
  '@types/node': '^20.11.0',
  typescript: '~5.9.3',
  vitest: '^4.1.0',
};
