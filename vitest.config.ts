import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault suite loads the machine on purpose: it runs on its own (npm run test:faults).
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and CLI tests start processes; keep the 2-core machines from oversubscribing.
    maxWorkers: 2,
    // A throwaway PostgreSQL for the PostgreSQL store's tests, when its server binaries are installed.
    globalSetup: ['test/helpers/pg-global-setup.ts'],
  },
});
