import { scenarioTests } from '../src/scenarios/engine/vitest-adapter.ts';

// The product's scenario library on the default rig (each device issue adds its scenarios to src/scenarios).
await scenarioTests({ rigFile: 'rigs/loopback.yaml', paths: ['src/scenarios'] });

// The backbone's own scenarios, on test-only devices.
await scenarioTests({ rigFile: 'test/rigs/beacon-logger.yaml', paths: ['test/scenarios'] });

// The same scenarios over socat pty pairs opened through serialport: the full byte path of a bench.
await scenarioTests({ rigFile: 'test/rigs/beacon-logger-pty.yaml', paths: ['test/scenarios'] });

// VU scenarios whose records come through the App. 7 download over pty pairs (issue 4: both rigs).
await scenarioTests({
  rigFile: 'rigs/pty.yaml',
  paths: ['src/scenarios/vu/card-insertion-while-driving.scenario.yaml', 'src/scenarios/vu/over-speeding.scenario.yaml', 'src/scenarios/vu/power-interruption.scenario.yaml'],
});

// GNSS scenarios over pty pairs (issue 5): the internal receiver's time conflict, and the EGF's T=1 line cut.
await scenarioTests({
  rigFile: 'rigs/pty.yaml',
  paths: ['src/scenarios/gnss/time-conflict.scenario.yaml', 'src/scenarios/gnss/egf-cable-cut.scenario.yaml'],
});
