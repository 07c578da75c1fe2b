import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: the fault-injection suite, one file at a time (each loads the machine on purpose). */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
