import { defineConfig } from 'vitest/config'

// Two tiers. `fast`: the stages and commands in-process, with fakes for prompts, clock and
// executors (the inner loop). `e2e` (test/e2e/): the real binary, pseudo-terminals, real servers,
// the sandbox and every runbook, each promise kept once. `npm test` runs both.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-fast-check.ts'],
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
})
