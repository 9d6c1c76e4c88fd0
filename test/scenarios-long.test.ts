import { scenarioTests } from '../src/scenarios/engine/vitest-adapter.ts';
import { GOLDEN } from './golden.ts';

// The library's long scenarios (tagged `long`: a month of rig time, 45 s of wall time for 31 days) on the
// default rig, in a file of their own so they run in parallel with the others.
await scenarioTests({ rigFile: 'rigs/loopback.yaml', paths: ['src/scenarios'], tags: ['long'] }, { golden: GOLDEN });
