import { defineConfig } from 'vitest/config'

/**
 * Projects: `geo` and `client` (pure functions, no database), the server and database suites on
 * the embedded PGlite (always) and on PostgreSQL (when DATABASE_URL is set — fresh databases are
 * made per run, one per worker), then `browser` and `browser-soak` (real Chromium against a real
 * server). The last line of output is `N passed, N failed`.
 */
const serverSuites = ['tests/server/**/*.test.ts', 'tests/db/**/*.test.ts']
const onDatabase = (name: string, backend: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name,
    include: serverSuites,
    env: { GEZHI_TEST_DB: backend },
    globalSetup: ['tests/support/global-setup.ts'],
    // One seeded city per worker, shared by its test files: restoring it per file would cost seconds each.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})

/**
 * The browser suites run after the server suites (sequence.groupOrder), and the soak after the
 * other pages: a wall that must show a case within 2 s, or hold its heap for 90 s, is not judged
 * while the two cores also run the 1,000-case convergence test.
 */
const browser = (name: string, include: string[], exclude: string[], groupOrder: number) => ({
  extends: true as const,
  test: {
    name,
    include,
    exclude,
    env: { GEZHI_TEST_DB: 'pglite' },
    globalSetup: ['tests/support/global-setup.ts', 'tests/support/client-build.ts'],
    sequence: { groupOrder },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true as const, test: { name: 'geo', include: ['tests/geo/**/*.test.ts'] } },
      // The client's pure functions (figures, formats), without a browser.
      { extends: true as const, test: { name: 'client', include: ['tests/client/**/*.test.ts'] } },
      onDatabase('embedded', 'pglite'),
      ...(process.env.DATABASE_URL ? [onDatabase('postgres', 'postgres')] : []),
      browser('browser', ['tests/e2e/**/*.test.ts'], ['tests/e2e/wall-soak.test.ts'], 1),
      browser('browser-soak', ['tests/e2e/wall-soak.test.ts'], [], 2),
    ],
  },
})
