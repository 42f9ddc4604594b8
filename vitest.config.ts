import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: run test files two at a time so native index builds and browsers do not starve each other.
    maxWorkers: 2,
    pool: 'forks',
  },
});
