import { scenarioTests } from '../src/scenarios/engine/vitest-adapter.ts';
import { GOLDEN } from './golden.ts';

// The product's scenario library on the default rig (each device issue adds its scenarios to src/scenarios).
// Scenarios tagged `long` (a month of rig time) run in test/scenarios-long.test.ts, a file of their own, so
// vitest runs them beside the rest rather than after.
// Each scenario's records are compared with test/golden/records/<id>.records.json (issue 18, determinism kept).
await scenarioTests({ rigFile: 'rigs/loopback.yaml', paths: ['src/scenarios'], skipTags: ['long'] }, { golden: GOLDEN });

// The backbone's own scenarios, on test-only devices.
await scenarioTests({ rigFile: 'test/rigs/beacon-logger.yaml', paths: ['test/scenarios'] });
