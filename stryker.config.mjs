// @ts-check
/**
 * Mutation testing of the VU's rule modules (issue 11 §4): how much of a broken rule the tests would notice.
 * `npm run mutate` (not in CI: it takes a long time). The score is in the README.
 * `MUTATE_FOLDERS=gnss,time npm run mutate` mutates those rule folders only, into reports/mutation/gnss+time.json,
 * so a long run can be split and a folder re-run after its tests change; `npm run mutate:summary` adds the reports up.
 */
const RULE_FOLDERS = ['gnss', 'motion', 'sensor', 'cards', 'modes', 'activities', 'data-memory', 'time', 'power', 'security', 'self-test'];

const asked = (process.env.MUTATE_FOLDERS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
const unknown = asked.filter((f) => !RULE_FOLDERS.includes(f));
if (unknown.length > 0) throw new Error(`MUTATE_FOLDERS: no rule folder ${unknown.join(', ')} (the folders: ${RULE_FOLDERS.join(', ')})`);
const folders = asked.length > 0 ? asked : RULE_FOLDERS;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: folders.map((f) => `src/devices/vu/${f}/**/*.ts`).concat(['!src/devices/vu/**/*.test.ts', '!src/devices/vu/**/*-bench.ts', '!src/devices/vu/**/test-support.ts', '!src/devices/vu/**/README.md']),
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${asked.length > 0 ? asked.join('+') : 'all'}.json` },
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
};
