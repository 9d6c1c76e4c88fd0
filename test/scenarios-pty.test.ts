import { scenarioTests } from '../src/scenarios/engine/vitest-adapter.ts';

// The backbone's scenarios over socat pty pairs opened through serialport: the full byte path of a bench.
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

// DSRC (issue 16): every DSRC scenario over pty pairs: the VU's cable to its DSRC-VU (0x0C, 0x38) and the 5.8 GHz
// link to the roadside reader.
await scenarioTests({ rigFile: 'rigs/pty.yaml', paths: ['src/scenarios/dsrc'] });

// NDTP (issue 19): the terminal and its server on a serial line over a pty pair, with line noise.
await scenarioTests({ rigFile: 'rigs/pty.yaml', paths: ['src/scenarios/ndtp/ndtp-serial-noisy-line.scenario.yaml'] });
// Issue 15 (cards that remember): a card pulled during a supply cut (0x06), and a driver's card carried from one
// VU to another (both VUs' downloads and the card's through the second), a workshop card's PIN blocked, over pty pairs.
await scenarioTests({
  rigFile: 'rigs/pty.yaml',
  paths: ['src/scenarios/vu/card-pulled-during-supply-cut.scenario.yaml', 'src/scenarios/vu/driver-card-two-vehicles.scenario.yaml', 'src/scenarios/vu/workshop-card-wrong-pin.scenario.yaml'],
});
// Issue 15 (gen2 version 2): a version 2 VU's download (TRTP 00, 31..35) over a pty pair, its load/unload operations
// and border crossings read from TREP 32; a version 2 workshop card's load types and additional calibration data.
await scenarioTests({ rigFile: 'rigs/pty.yaml', paths: ['src/scenarios/cards/gen2v2-vu-download.scenario.yaml', 'src/scenarios/cards/gen2v2-workshop-card.scenario.yaml'] });
// Issue 15 (CSM_192-195): a card whose SM session ends after 20 commands through a day's session, and a card that
// aborts every command (0x40), over pty pairs.
await scenarioTests({ rigFile: 'rigs/pty.yaml', paths: ['src/scenarios/cards/card-sm-session-limit.scenario.yaml'] });
// Issue 20: ТахоМастер on the СКЗИ tachograph's service port over a pty pair: identity, VIN and plate written,
// a write with a card in and a damaged frame refused with the reason.
await scenarioTests({ rigFile: 'rigs/pty.yaml', paths: ['src/scenarios/skzi/skzi-service-link.scenario.yaml'] });
