import { defineConfig } from 'vitest/config';

/**
 * Tests by kind, as vitest projects (`npx vitest run --project unit` runs one alone):
 * - unit: no server, no browser, seconds (real hnswlib indexes in temporary folders are fine);
 * - int: a real server on port 0, real socket.io clients, redis-server, the fake OpenAI-compatible provider, child processes;
 * - browser: the widget in Debian's Chromium through playwright-core.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: run test files two at a time so native index builds and browsers do not starve each other.
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'int', include: ['test/int/**/*.test.ts'], globalSetup: ['test/support/preflight-int.ts'] } },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: ['test/support/preflight-browser.ts'] },
      },
    ],
  },
});
