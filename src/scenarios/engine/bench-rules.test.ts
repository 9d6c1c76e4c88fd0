import { describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { loadRigFile } from '../../harness/rig/rig-loader.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import { actuatorFor } from '../../harness/bench/actuators.ts';
import { aliasScenario } from './bench-adapt.ts';
import { discoverScenarioFiles, loadScenarioFile } from './loader.ts';
import { unmetRequirements } from './runner.ts';
import { scenarioSchema, type Scenario } from './schema.ts';
import { scenarioPlan } from './scope.ts';

/**
 * The shipped VU, sensor and GNSS scenarios against the bench (rigs/bench-vu.yaml), as `rig list --rig` judges
 * them: which run there, and for the others why not. A scenario that loses its bench capability (a check moved
 * into a drive, a VU-internal stimulus, an absolute instant in a field) shows here, not first on a bench.
 */
const loaded = await loadRigFile('rigs/bench-vu.yaml', new DeviceRegistry(deviceKinds));
const bench = planFromRig(loaded, loaded.registry);
const judge = (scenario: Scenario, options: { prompts?: boolean } = {}) => {
  const aliased = aliasScenario(scenario, bench.aliases ?? {});
  return unmetRequirements(aliased, scenarioPlan(aliased, bench), options);
};

/** bench-vu as it was before its supply relay: the supply switched over the lab supply's SCPI port alone. */
const scpiBench = {
  ...bench,
  devices: bench.devices
    .filter((d) => d.name !== 'supply-switch')
    .map((d) => (d.name === 'actuator' ? { ...d, options: { ...(d.options as object), stimuli: { ...(d.options as { stimuli: object }).stimuli, supply: { via: 'psu', volts: 24 } } } } : d)),
};

const shipped: Scenario[] = [];
for (const file of await discoverScenarioFiles(['src/scenarios/vu', 'src/scenarios/motion-sensor', 'src/scenarios/gnss'])) {
  for (const { scenario } of await loadScenarioFile(file)) shipped.push(scenario);
}

/**
 * The shipped VU, sensor and GNSS scenarios that do not run on a bench, each with why (README "The bench"). A
 * scenario that cannot run there must be written here with its reason, so none turns emulation-only unseen;
 * one that can must leave the list. Where the rig gives a reason of its own, the reason here says what in the
 * scenario needs it, and what a bench would need instead.
 */
const EMULATION_ONLY: Record<string, string> = {
  'accumulated-driving-positions': "written for loopback's vu, its internal receiver: expects each 3 h position with its time stamp as an instant of the scenario's fixed story (a wall-clock run starts now)",
  'accumulated-driving-three-hours': "its point is the VU's accumulated-driving count itself (accumulatedDriving records), read from the emulated VU's memory: no download carries it (Annex IC definition fff)",
  'card-data-integrity': 'needs a driver card with a damaged EF (altered-driver): the bench\'s card switch holds sound cards only',
  'card-time-overlap': "sets the VU's clock an hour back (skewClock) below the card's last withdrawal: a real VU's clock is set by GNSS or a workshop",
  'company-locks': "needs two companies' cards in the driver slot (acme, bolt): the bench's card switch has one company card, for the co-driver slot (its download card)",
  'daily-work-period-places': "written for loopback's vu, its internal receiver: expects each place's GNSS time stamp as an instant of the scenario's fixed story",
  'downloading-fault': "downloadInterfaceFault acts inside the VU (its download interface's hardware failing)",
  'driver-card-two-vehicles': 'needs two VUs, one card carried between them: a bench has one device under test',
  'egf-certificate-expired': "needs an EGF whose certificate expires 30 min into the scenario's fixed start (egf-expiring's test PKI validity), and checks while the vehicle moves",
  'egf-replaced':
    "expects the refused coupling's message to the workshop card holder (a calibrationError, read from the emulated VU: no download carries it), and needs a second EGF certified under another root behind an A/B switch on the VU's GNSS line",
  'gnss-receiver-fault': "gnssReceiverFault acts inside the VU (its internal receiver); the bench's VU has an EGF, whose fault (0x37) egf-fault checks there",
  'mixed-activity-day': "written for loopback's vu: its minute-exact activity windows include the day's record at midnight, which on a real VU is what it did before the run (6 h of wall time)",
  'motion-data-error-speed-jump': "needs a VU with the speed-jump check of Annex IC 83 on (vu-jump's speedJumpCheck option): on the bench's VU every scenario starting at 80 km/h would raise it",
  'noisy-lines': "injects noise into the rig's own links to the VU and needs the foreign EGF behind the A/B switch (vu-egf3)",
  'over-speeding-control': "expects the control record's firstOverSpeedSince as an instant of the scenario's fixed story",
  'sensor-pairing': 'pairs three VUs (KM-VU of 128, 192 and 256 bits): a bench has one device under test',
  'sensor-pairing-wrong-generation': "inserts workshop cards the scenario defines (another KM-WC generation): the bench's card switch holds its own cards only",
  'sensor-pairing-wrong-kmwc': "inserts a workshop card the scenario defines (a wrong KM-WC): the bench's card switch holds its own cards only",
  'stored-data-integrity': "damageDataMemory acts inside the VU (a bit of its stored data memory)",
  'time-conflict': "skewClock acts inside the VU (its clock); the conflict from the GNSS side runs there as time-conflict-gnss-time. Left on loopback's vu: it is the internal receiver's (GNS_34) time conflict, and its second conflict as the 12 h lockout ends is 13 h of wall time",
  'time-conflict-59s': "skewClock acts inside the VU (its clock, set 59, 60 and 61 s off)",
  'time-conflict-calibration-mode': "skewClock acts inside the VU (its clock)",
  'time-conflict-no-gnss-30-days': "skewClock acts inside the VU (its clock), and 31 days parked",
  'vehicle-motion-conflict-distance':
    "its FERRY / TRAIN CROSSING entries are a menu action bench-vu's keypad robot has no macro for, and it is written for loopback's vu, whose internal receiver read every 20 s from the start puts trigger 2's 15-minute checks at exact instants",
  'vu-internal-fault': "dataMemoryFault acts inside the VU (its data memory's hardware failing)",
  'vu-security-detections': "sabotageHardware and internalTransferError act inside the VU (its tamper sensors, its internal transfers)",
  'year-of-events': 'a year of driving: 365 days of wall time',
};

describe('the shipped VU, sensor and GNSS scenarios on rigs/bench-vu.yaml', () => {
  const verdicts = new Map(shipped.map((s) => [s.id, judge(s)]));
  const runs = [...verdicts].filter(([, why]) => why === undefined).map(([id]) => id).sort();

  it('run there, the ones issue 13 names among them, each tagged hil', () => {
    expect(runs).toEqual([
      'card-authentication-failure',
      'card-conflict',
      'card-insertion-while-driving',
      'card-pulled-during-supply-cut',
      'driver-card-day',
      'driving-without-card',
      'egf-cable-cut',
      'egf-cable-cut-stationary',
      'egf-fault',
      'egf-tamper',
      'gnss-absence',
      'gnss-absence-stationary-calibration',
      'motion-data-error-calibration',
      'over-speeding',
      'over-speeding-beyond-speed-range',
      'power-interruption',
      'power-interruption-modes',
      'pulse-line-tamper',
      'sensor-authentication-failure',
      'sensor-disconnected',
      'sensor-security-events',
      'sensor-swap',
      'time-conflict-gnss-time',
      'vehicle-motion-conflict',
      'vehicle-motion-conflict-short',
      'vehicle-motion-conflict-standstill',
      'vehicle-motion-conflict-standstill-nine-minutes',
      'workshop-card-wrong-pin',
    ]);
    for (const id of runs) expect(shipped.find((s) => s.id === id)!.tags, id).toContain('hil');
    // and nothing tagged hil that cannot
    expect(shipped.filter((s) => s.tags.includes('hil') && verdicts.get(s.id) !== undefined).map((s) => s.id)).toEqual([]);
  });

  it('do not run there only where EMULATION_ONLY lists them, each with its reason', () => {
    const cannot = [...verdicts].filter(([, why]) => why !== undefined).map(([id]) => id).sort();
    // a new scenario that cannot run on a bench goes into the list with why; one that now can leaves it
    expect(cannot).toEqual(Object.keys(EMULATION_ONLY).sort());
    for (const [id, reason] of Object.entries(EMULATION_ONLY)) expect(reason.length, id).toBeGreaterThan(30);
  });

  it('and, where one cannot, the rig says why', () => {
    expect(verdicts.get('time-conflict')).toBe("device 'vu' is external on rig bench-vu, and the scenario needs it emulated");
    expect(verdicts.get('egf-replaced')).toBe("rig bench-vu has no device 'vu-egf3'");
  });

  it("cuts the supply through the relay in series, so the 150 ms cut of power-interruption runs there", () => {
    const cut = shipped.find((s) => s.id === 'power-interruption')!;
    expect(actuatorFor(bench, 'vu', 'supply', { on: false })).toEqual({ name: 'supply-switch', via: 'relay' });
    // the same scenario through the lab supply's SCPI port alone (the bench before supply-switch) cannot
    const aliased = aliasScenario(cut, bench.aliases ?? {});
    expect(unmetRequirements(aliased, scenarioPlan(aliased, scpiBench))).toBe(
      'steps 11 and 13 (vu: supply {"on":false}, then vu: supply {"on":true}) are 150ms apart on the plan, shorter than the actuator of rig bench-vu can hold: a lab supply switched over SCPI confirms each command (OUTP OFF, then *CLS, VOLT, OUTP ON, each followed by SYST:ERR?): a cut through it lasts some hundreds of ms (500ms taken as the least); wire the supply through a relay in series (the actuator\'s supply: { via: relay, channel: N })',
    );
  });
});

describe("the bench's rules, as unmetRequirements enforces them on rigs/bench-vu.yaml", () => {
  const story = (steps: unknown[], expect: unknown[] = []) =>
    scenarioSchema.parse({ id: 's', title: 't', requires: { emulated: ['sensor-egf', 'egf'], mayBeExternal: ['vu-egf'] }, start: '2026-03-02T06:00:00Z', steps, expect });
  const stimulus = (name: string, args: Record<string, unknown> = {}) => ({ do: 'stimulus', device: 'vu-egf', name, args });

  it("runs the workshop's and driver's menu actions on the keypad robot, without prompts", () => {
    expect(judge(story([stimulus('insertCard', { slot: 'driver', card: 'wendy' }), stimulus('pairSensor'), stimulus('coupleGnss'), stimulus('calibrate', { authorisedSpeedKmh: 85 }), stimulus('withdrawCard', { slot: 'driver' }), stimulus('insertCard', { slot: 'driver', card: 'anna' }), stimulus('selectActivity', { slot: 'driver', activity: 'work' }), stimulus('enterPlace', { slot: 'driver', type: 'begin', country: 'B' })]))).toBeUndefined();
  });

  it('refuses what acts inside the VU, even with prompts', () => {
    expect(judge(story([stimulus('dataMemoryFault', { on: true })]), { prompts: true })).toBe(
      "step 0 (vu: dataMemoryFault {\"on\":true}): 'dataMemoryFault' acts inside the device (its data memory's hardware failing), which neither an actuator nor a person can do to the real 'vu' of rig bench-vu",
    );
  });

  it('refuses an expected record kind that no download carries; lets its absence through', () => {
    expect(judge(story([{ do: 'wait', for: '1m' }], [{ records: { device: 'vu-egf', kind: 'accumulatedDriving', code: 180 } }]))).toBe(
      "the scenario expects accumulatedDriving records of vu, which only its emulation gives (read from the VU's memory; the download carries the VuGNSSADRecord of each 3 h instead (gnssAccumulatedDriving)): the real 'vu' of rig bench-vu never does",
    );
    expect(judge(story([{ do: 'wait', for: '1m' }], [{ records: { device: 'vu-egf', kind: 'calibrationError', count: 0 } }, { absent: { device: 'vu-egf', kind: 'placeRefused' } }]))).toBeUndefined();
  });

  it('refuses a supply cut shorter than a SCPI supply can make, lets a longer one and a relay-switched one through', () => {
    const cut = (ms: string) => aliasScenario(story([stimulus('supply', { on: false }), { do: 'wait', for: ms }, stimulus('supply', { on: true })]), bench.aliases ?? {});
    const onScpi = (s: Scenario) => unmetRequirements(s, scenarioPlan(s, scpiBench));
    expect(onScpi(cut('499ms'))).toMatch(/^steps 0 and 2 \(vu: supply \{"on":false\}, then vu: supply \{"on":true\}\) are 499ms apart on the plan, shorter than the actuator of rig bench-vu can hold: a lab supply switched over SCPI/);
    expect(onScpi(cut('500ms'))).toBeUndefined();
    // bench-vu itself: its supply goes through a relay in series
    expect(judge(story([stimulus('supply', { on: false }), { do: 'wait', for: '150ms' }, stimulus('supply', { on: true })]))).toBeUndefined();
  });

  it('refuses an absolute instant in an expected field, and a check while the vehicle moves', () => {
    expect(judge(story([{ do: 'wait', for: '1m' }], [{ records: { device: 'vu-egf', kind: 'place', fields: { gnssPlace: { timeStamp: 1772431280000 } } } }]))).toMatch(
      /^the scenario expects vu place fields\.gnssPlace\.timeStamp = 1772431280000, the instant 2026-03-02T06:01:20\.000Z \(\+80 s from the scenario's start\)/,
    );
    expect(judge(story([{ do: 'world', name: 'speed', args: { kmh: 50 } }, { do: 'check', expect: [{ absent: { device: 'vu-egf', kind: 'event' } }] }]))).toMatch(/^step 1 checks vu while the vehicle moves/);
  });
});
