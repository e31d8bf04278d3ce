import { defineConfig } from 'vitest/config';

/** Opt-in integration tests against real services (LLM providers): `npm run test:int`. */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 600_000,
  },
});
