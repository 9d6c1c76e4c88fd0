import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of the VU's rule modules (`npm run mutate`): the unit tests beside
 * those rules, and the VU machine's own tests. Tests that build a whole rig (a VU with its sensor and IDE over
 * links: sensor/vu-sensor.test.ts, motion/motion-conflict-vu.test.ts, record-kinds, download, gnss-link) are
 * left out: each covers nearly every rule, so every mutant would run them, for seconds each (a 15-hour run
 * against 20 minutes). What the score then says: how much of a broken rule its own tests notice.
 */
const RULE_FOLDERS = ['gnss', 'motion', 'sensor', 'cards', 'modes', 'activities', 'data-memory', 'time', 'power', 'security', 'self-test'];

export default defineConfig({
  test: {
    include: [...RULE_FOLDERS.map((f) => `src/devices/vu/${f}/**/*.test.ts`), 'src/devices/vu/vu-machine.test.ts', 'src/devices/vu/vu-data-memory.test.ts'],
    exclude: ['src/devices/vu/sensor/vu-sensor.test.ts', 'src/devices/vu/motion/motion-conflict-vu.test.ts'],
    testTimeout: 60_000,
  },
});
