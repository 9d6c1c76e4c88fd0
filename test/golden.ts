import type { GoldenRecords } from '../src/scenarios/engine/vitest-adapter.ts';

/**
 * The shipped library's golden records (issue 18: determinism kept): test/scenarios.test.ts and
 * test/scenarios-long.test.ts compare every scenario's reads with them, so no extra run of the library.
 * `npm run golden:update` (RIG_GOLDEN_UPDATE=1) writes them instead, from the code as it is.
 */
export const GOLDEN: GoldenRecords = { dir: 'test/golden/records', update: !!process.env.RIG_GOLDEN_UPDATE };
