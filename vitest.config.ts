import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Bounds, not timings: files that start daemons and CLI processes run beside the chaos suite on two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Only the chaos project runs in threads: two of its files at a time (the scenarios and the regression seeds
    // take about as long as each other).
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } },
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/chaos/**'], pool: 'forks' } },
      // The chaos suite mostly waits on its daemon child processes for minutes: in a pool of its own (vitest runs
      // pools side by side) it runs alongside the other files instead of after them, on any number of cores.
      { extends: true, test: { name: 'chaos', include: ['test/chaos/**/*.test.ts'], pool: 'threads' } },
    ],
  },
});
