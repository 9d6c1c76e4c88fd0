import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// In CI the run also leaves machine-readable results: .ci/run reads the JSON for its closing line, and CI
// servers read the JUnit file.
const ci = !!process.env.CI;

/**
 * Tests whose bytes cross the OS on real time (wall-clock rigs, socat and serialport timing): a session at
 * 9600 baud misses its inter-byte windows when every core is busy with other files, as a real device would.
 * They run after the rest, one file at a time.
 */
const REAL_TIME = [
  'test/serve.test.ts',
  'src/harness/links/pty-link.test.ts',
  'src/harness/links/serial-link.test.ts',
  'src/harness/download/client-wall.test.ts',
  'src/harness/bench/preflight.test.ts',
  // the bench actuators (issue 13): a relay board and a lab supply driven over ptys on the wall clock
  'test/bench-actuators.test.ts',
  'test/bench-serve.test.ts',
  // the keypad robot (issue 13): both sides over ptys, and an outside client
  'test/bench-keypad.test.ts',
  'test/bench-read.test.ts',
  // NDTP against a Python peer over TCP on the wall clock (issue 19)
  'test/ndtp-outside.test.ts',
  // issue 15: a tachograph card on a serial path, its board's end held over a pty on the wall clock
  'src/devices/card-port/card-port.pty.test.ts',
  // issue 18: a cut pulse line told to a VU in another rig, over a pty and a serial path on the wall clock
  'test/pulse-line-cut.test.ts',
];

/**
 * The bench path against the stand-in VU in another process (test/bench/*.hil.test.ts): wall-clock minutes, so
 * only with RIG_HIL=1 (`npm run test:hil`, and `npm run test:ci`, the README's CI command), after the rest.
 */
const HIL = ['test/bench/**/*.hil.test.ts'];
const hil = !!process.env.RIG_HIL;

/**
 * The library's `long` scenarios (a month of rig time: 2.5 min of a 2-core machine's wall time, the longest file
 * by far): only with RIG_LONG=1 (`npm run test:long`, and `npm run test:ci`), so `npm test` stays the quick loop.
 */
const LONG = ['test/scenarios-long.test.ts'];

/**
 * Files that replace a module (`vi.mock`): they need a module graph of their own. Every other file of the quick
 * loop shares its worker's modules (`isolate: false`): importing the rig afresh for each of ~270 files cost
 * 121 s of a 348 s `npm test` on 2 cores; shared, 19 s (the files keep no state between them: each builds its
 * own rig, clock and devices).
 */
const ISOLATED = ['src/harness/links/serial-link-baud.test.ts'];
const long = !!process.env.RIG_LONG;

export default defineConfig({
  test: {
    // pty tests spawn socat and scenario tests may simulate long spans: generous bounds, never the assertion
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Vitest leaves a core to its main process, which here mostly waits: on a 2-core machine that is one
    // worker, and the files ran one after another (3 min 07 s against 1 min 49 s with both cores).
    maxWorkers: availableParallelism(),
    reporters: ci ? ['default', 'json', 'junit'] : ['default'],
    outputFile: ci ? { json: 'reports/vitest.json', junit: 'reports/vitest-junit.xml' } : undefined,
    projects: [
      { extends: true, test: { name: 'rig', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...REAL_TIME, ...HIL, ...LONG, ...ISOLATED], isolate: false, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, sequence: { groupOrder: 0 } } },
      ...(long ? [{ extends: true as const, test: { name: 'long', include: LONG, sequence: { groupOrder: 0 } } }] : []),
      { extends: true, test: { name: 'real-time', include: REAL_TIME, fileParallelism: false, sequence: { groupOrder: 1 } } },
      ...(hil ? [{ extends: true as const, test: { name: 'hil', include: HIL, fileParallelism: false, sequence: { groupOrder: 2 } } }] : []),
    ],
  },
});
