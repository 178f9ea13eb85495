import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The chaos suite runs the daemon under kill -9 and fault storms for minutes, and its outcome still depends on
    // timing on a loaded machine: `npm run test:chaos` runs it (and `npm run chaos` runs longer), `npm test` does not.
    exclude: [...configDefaults.exclude, ...(process.env.CONCORD_CHAOS ? [] : ['test/chaos/**'])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
