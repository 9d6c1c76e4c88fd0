import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of the VU's rule modules (`npm run mutate`): the unit tests beside
 * those rules and the VU's device-level tests. Scenario and real-time tests are left out: per mutant they would
 * cost seconds each, and the rules they exercise are covered here directly.
 */
export default defineConfig({
  test: {
    include: ['src/devices/vu/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
