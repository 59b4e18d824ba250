import { defineConfig } from 'vitest/config';

/** Browser tests: one real Chromium at a time, with room for a cold start on a small machine. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
