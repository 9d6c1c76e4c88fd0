import { describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { loadRigFile } from '../../harness/rig/rig-loader.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
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

const shipped: Scenario[] = [];
for (const file of await discoverScenarioFiles(['src/scenarios/vu', 'src/scenarios/motion-sensor', 'src/scenarios/gnss'])) {
  for (const { scenario } of await loadScenarioFile(file)) shipped.push(scenario);
}

describe('the shipped VU, sensor and GNSS scenarios on rigs/bench-vu.yaml', () => {
  const verdicts = new Map(shipped.map((s) => [s.id, judge(s)]));
  const runs = [...verdicts].filter(([, why]) => why === undefined).map(([id]) => id).sort();

  it('run there, at least half of them, the ones issue 13 names among them, each tagged hil', () => {
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
    expect(runs.length * 2).toBeGreaterThanOrEqual(shipped.length);
    for (const id of runs) expect(shipped.find((s) => s.id === id)!.tags, id).toContain('hil');
    // and nothing tagged hil that cannot
    expect(shipped.filter((s) => s.tags.includes('hil') && verdicts.get(s.id) !== undefined).map((s) => s.id)).toEqual([]);
  });

  it('and, where one cannot, say why', () => {
    expect(verdicts.get('time-conflict')).toBe("device 'vu' is external on rig bench-vu, and the scenario needs it emulated");
    expect(verdicts.get('egf-replaced')).toBe("rig bench-vu has no device 'vu-egf3'");
    expect(verdicts.get('power-interruption')).toBe(
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
    const cut = (ms: string) => story([stimulus('supply', { on: false }), { do: 'wait', for: ms }, stimulus('supply', { on: true })]);
    expect(judge(cut('499ms'))).toMatch(/^steps 0 and 2 \(vu: supply \{"on":false\}, then vu: supply \{"on":true\}\) are 499ms apart on the plan, shorter than the actuator of rig bench-vu can hold: a lab supply switched over SCPI/);
    expect(judge(cut('500ms'))).toBeUndefined();
    // the same cut on a bench whose supply goes through a relay in series
    const relayed = {
      ...bench,
      devices: bench.devices.map((d) =>
        d.kind.actuator ? { ...d, options: { ...(d.options as object), stimuli: { ...(d.options as { stimuli: object }).stimuli, supply: { via: 'relay', channel: 9 } } } } : d,
      ),
    };
    const aliased = aliasScenario(cut('150ms'), bench.aliases ?? {});
    expect(unmetRequirements(aliased, scenarioPlan(aliased, relayed))).toBeUndefined();
  });

  it('refuses an absolute instant in an expected field, and a check while the vehicle moves', () => {
    expect(judge(story([{ do: 'wait', for: '1m' }], [{ records: { device: 'vu-egf', kind: 'place', fields: { gnssPlace: { timeStamp: 1772431280000 } } } }]))).toMatch(
      /^the scenario expects vu place fields\.gnssPlace\.timeStamp = 1772431280000, the instant 2026-03-02T06:01:20\.000Z \(\+80 s from the scenario's start\)/,
    );
    expect(judge(story([{ do: 'world', name: 'speed', args: { kmh: 50 } }, { do: 'check', expect: [{ absent: { device: 'vu-egf', kind: 'event' } }] }]))).toMatch(/^step 1 checks vu while the vehicle moves/);
  });
});
