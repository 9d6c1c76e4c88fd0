// @ts-check
/**
 * Mutation testing of the VU's rule modules (issue 11 §4): how much of a broken rule the tests would notice.
 * `npm run mutate` (not in CI: it takes a long time). The score is in the README.
 */
const RULE_FOLDERS = ['gnss', 'motion', 'sensor', 'cards', 'modes', 'activities', 'data-memory', 'time', 'power', 'security', 'self-test'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: RULE_FOLDERS.map((f) => `src/devices/vu/${f}/**/*.ts`).concat(['!src/devices/vu/**/*.test.ts', '!src/devices/vu/**/*-bench.ts', '!src/devices/vu/**/test-support.ts', '!src/devices/vu/**/README.md']),
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
};
