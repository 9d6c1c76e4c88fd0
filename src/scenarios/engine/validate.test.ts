import { beforeAll, describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { loadRigFile } from '../../harness/rig/rig-loader.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { FileIssuesError, formatIssues } from '../../harness/rig/yaml-errors.ts';
import { parseScenarioYaml } from './loader.ts';
import { checkScenarioAgainstRig } from './validate.ts';

let loopback: RigPlan;
beforeAll(async () => {
  const rig = await loadRigFile('rigs/loopback.yaml', new DeviceRegistry(deviceKinds));
  loopback = planFromRig(rig, rig.registry);
});

const HEAD = ['id: s', 'title: t', 'requires: { emulated: [vu] }', 'start: 2026-03-02T08:00:00Z'];

/** What `rig validate` prints for a scenario file of these lines (after the 4 head lines) on the default rig. */
function refusals(...lines: string[]): string {
  const text = [...HEAD, ...lines, ''].join('\n');
  try {
    const entry = parseScenarioYaml(text, 's.yaml');
    return formatIssues(entry.locate(checkScenarioAgainstRig(entry.scenario, loopback)));
  } catch (error) {
    if (error instanceof FileIssuesError) return error.message;
    throw error;
  }
}

describe('scenario file messages: what was expected, and the allowed values', () => {
  it('refuses a covers entry that names no requirement of the catalogue, where it is written', () => {
    expect(refusals('covers: [Annex IC 79, GNS_311]')).toBe("s.yaml:5:23: covers[1]: 'GNS_311' is no requirement of the catalogue (src/scenarios/requirements/); did you mean 'GNS_31'?");
    expect(refusals('covers: [Annex IC 79, Annex IC 3.9 0x08, App. 7 DDP_018]')).toBe('');
  });

  it('names an unknown step and the steps there are', () => {
    expect(refusals('steps: [{ do: wiat, for: 1s }]')).toBe(
      "s.yaml:5:15: steps[0].do: unknown step 'wiat' (did you mean 'wait'?); a step is one of: wait, until, stimulus, world, link, check",
    );
    expect(refusals('steps: [{ for: 1s }]')).toBe("s.yaml:5:9: steps[0].do: missing 'do': a step is one of: wait, until, stimulus, world, link, check");
  });

  it('says what count takes', () => {
    expect(refusals('expect: [{ records: { device: vu, kind: event, count: once } }]')).toBe(
      "s.yaml:5:55: expect[0].records.count: expected a whole number, or { min, max } (e.g. count: 2, or count: { min: 1 }); got 'once'",
    );
    expect(refusals('expect: [{ records: { device: vu, kind: event, count: 1.5 } }]')).toBe(
      's.yaml:5:55: expect[0].records.count: expected a whole number, or { min, max } (e.g. count: 2, or count: { min: 1 }); got 1.5',
    );
  });

  it('says what durations, instants and codes take', () => {
    expect(refusals('steps: [{ do: wait, for: true }]')).toBe('s.yaml:5:26: steps[0].for: expected a duration: ms as a number, or e.g. "500ms", "10s", "1h30m", "31d"; got true');
    expect(refusals('steps: [{ do: until, at: yesterday }]')).toBe(
      's.yaml:5:26: steps[0].at: expected an offset from the start (ms, or e.g. "10s", "1h30m") or an ISO instant with a zone (2026-03-01T08:00:00Z); got \'yesterday\'',
    );
    expect(refusals('steps: [{ do: until, at: 2026-13-01T00:00:00Z }]')).toBe("s.yaml:5:26: steps[0].at: '2026-13-01T00:00:00Z' is not an ISO 8601 instant with a zone, e.g. 2026-03-01T08:00:00Z");
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: true } }]')).toBe('s.yaml:5:54: expect[0].records.code: expected a code: a number (0x0B) or a name; got true');
  });

  it('lists the allowed values of an enum, with the closest', () => {
    expect(refusals('steps: [{ do: link, port: vu.download, action: disconect }]')).toBe(
      "s.yaml:5:48: steps[0].action: 'disconect' is not allowed (did you mean 'disconnect'?); expected one of: disconnect, reconnect, pause, resume, faults",
    );
  });

  it('tells a misspelt expectation key, and one with neither records nor absent', () => {
    expect(refusals('expect: [{ recrods: { device: vu } }]')).toBe("s.yaml:5:12: expect[0].recrods: unknown key 'recrods' (did you mean 'records'?)");
    expect(refusals('expect: [{ name: x }]')).toBe("s.yaml:5:10: expect[0]: missing a key: one of 'records', 'absent'");
  });
});

describe('record matchers checked against what the device kind declares', () => {
  it('refuses a misspelt record kind, which would match nothing and make an absence pass', () => {
    expect(refusals('expect: [{ absent: { device: vu, kind: falut } }]')).toBe(
      "s.yaml:5:40: expect[0].absent.kind: unknown record kind 'falut' (did you mean 'fault'?); vu's record kinds are: event, fault, overview, activity, place, placeRefused, specificCondition, loadUnload, borderCrossing, specificConditionRefused, detailedSpeed, gnssAccumulatedDriving, accumulatedDriving, cardInsertion, timeAdjustment, vuIdentification, sensorPaired, calibration, calibrationError, gnssCoupling, companyLock, controlActivity, overSpeedingControl, " +
        "driverCardDownload, driverCardDay, driverCardActivity, driverCardVehicle, driverCardEvent, driverCardFault, driverCardPlace, driverCardVehicleUnit, driverCardGnssAccumulatedDriving, driverCardSpecificCondition, driverCardLoadUnload, driverCardBorderCrossing, driverCardLoadType, driverCardControlActivity, controlCardActivity, companyCardActivity, workshopCardCalibrationAddData, workshopCardCalibration, " +
        'workshopCardDay, workshopCardActivity, workshopCardVehicle, workshopCardEvent, workshopCardFault, workshopCardPlace, workshopCardVehicleUnit, workshopCardGnssAccumulatedDriving, workshopCardSpecificCondition, workshopCardLoadUnload, workshopCardBorderCrossing, workshopCardLoadType',
    );
  });

  it("refuses 'ended' on records that are no spans, and a window on records without a time", () => {
    expect(refusals("expect: [{ records: { device: vu, kind: activity, ended: { to: 1m } } }]")).toBe(
      "s.yaml:5:51: expect[0].records.ended: vu's activity records are instants, not spans: 'ended' matches none of them",
    );
    expect(refusals("expect: [{ records: { device: vu, kind: event, code: 0x02, ended: { to: 1m } } }]")).toBe('');
  });

  it('refuses a code the kind never has, naming the kind that has it', () => {
    const events = '0x01, 0x02, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25';
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: 0x99 } }]')).toBe(`s.yaml:5:54: expect[0].records.code: code 0x99 is not a code of vu's event records; event codes are: ${events}`);
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: 0x35 } }]')).toBe(
      `s.yaml:5:54: expect[0].records.code: code 0x35 is not a code of vu's event records (it is a code of 'fault' records); event codes are: ${events}`,
    );
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: overspeeding } }]')).toBe(
      `s.yaml:5:54: expect[0].records.code: code 'overspeeding' is not a code of vu's event records: their code is App. 1 §2.70 EventFaultType of category 'event', written as a number (did you mean 0x07, over speeding?); event codes are: ${events}`,
    );
    expect(refusals('expect: [{ records: { device: vu, kind: calibrationError, code: no-matching-kmwc } }]')).toBe(
      "s.yaml:5:65: expect[0].records.code: code 'no-matching-kmwc' is not a code of vu's calibrationError records (did you mean 'no-matching-km-wc'?); calibrationError codes are: not-in-calibration-mode, vu-generation-1, workshop-card-generation-1, no-matching-km-wc, key-length-mismatch, sensor-generation-1, vu-not-authenticated, sensor-not-authenticated, sensor-refused, no-answer, malformed-answer, egf-chain, vu-chain-refused",
    );
    expect(refusals('expect: [{ records: { device: vu, kind: gnssAccumulatedDriving, code: 1 } }]')).toBe("s.yaml:5:71: expect[0].records.code: vu's gnssAccumulatedDriving records carry no code");
    expect(refusals('expect: [{ records: { device: vu, kind: sensorPaired, code: abc } }]')).toBe(
      "s.yaml:5:61: expect[0].records.code: code 'abc' is not a code of vu's sensorPaired records: their code is the sensor's serial number (expected number, received string)",
    );
  });

  it('refuses an unknown field, a field another code carries, and a value of the wrong type', () => {
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: 0x07, count: 2, fields: { maxSpeeed: 101 } } }]')).toBe(
      "s.yaml:5:80: expect[0].records.fields.maxSpeeed: unknown field 'maxSpeeed' (did you mean 'maxSpeed'?); vu's event 0x07 records have: name, purposes, similarEvents, cardsAtBegin, cardsAtEnd, ongoing, maxSpeed, averageSpeed",
    );
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: 0x09, fields: { maxSpeed: 101 } } }]')).toBe(
      "s.yaml:5:70: expect[0].records.fields.maxSpeed: vu's event 0x09 records do not carry field 'maxSpeed'; they carry: name, purposes, similarEvents, cardsAtBegin, cardsAtEnd, ongoing",
    );
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: 0x07, fields: { maxSpeed: fast } } }]')).toBe(
      's.yaml:5:80: expect[0].records.fields.maxSpeed: expected number, received string',
    );
    expect(refusals('expect: [{ records: { device: vu, kind: event, fields: { cardsAtBegin: { driver: { cardNumbr: x } } } } }]')).toBe(
      "s.yaml:5:84: expect[0].records.fields.cardsAtBegin.driver.cardNumbr: unknown field 'cardNumbr' (did you mean 'cardNumber'?); cardsAtBegin.driver of vu's event records have: cardType, issuingMemberState, cardNumber, generation",
    );
    expect(refusals('expect: [{ records: { device: vu, kind: activity, fields: { slot: drivr } } }]')).toBe(
      "s.yaml:5:67: expect[0].records.fields.slot: 'drivr' is not allowed (did you mean 'driver'?); expected one of: driver, co-driver",
    );
    expect(refusals('expect: [{ absent: { device: vu, fields: { maxSpeeed: 1 } } }]')).toBe(
      "s.yaml:5:44: expect[0].absent.fields.maxSpeeed: no record kind of vu has a field 'maxSpeeed' (did you mean 'maxSpeed'?)",
    );
  });

  it('refuses a window on a kind without time', () => {
    expect(refusals('expect: [{ records: { device: vu, kind: vuIdentification, window: { from: 0s } } }]')).toBe(
      "s.yaml:5:59: expect[0].records.window: vu's vuIdentification records carry no time: a window matches none of them",
    );
  });

  it('accepts what the kinds declare, and names the device kind beside a device of another name', () => {
    expect(refusals('expect: [{ records: { device: vu, kind: event, code: 0x07, fields: { maxSpeed: 100, cardsAtBegin: { driver: { cardNumber: B000000012345601 } } } } }]')).toBe('');
    expect(refusals('expect: [{ records: { device: vu-egf, kind: evnt } }]').split(';')[0]).toBe(
      "s.yaml:5:45: expect[0].records.kind: unknown record kind 'evnt' (did you mean 'event'?)",
    );
    expect(refusals('expect: [{ records: { device: operator-ru, kind: event, code: "08" } }]')).toBe(
      "s.yaml:5:63: expect[0].records.code: code '08' is not a code of operator-ru (seal-operator)'s event records (did you mean '01'?); event codes are: 01, 02, 03, 04, 05, 06, 07",
    );
  });
});

describe('names the rig defines, and names in the scenario', () => {
  it("refuses a card the VU's options.cards does not have, at validate time", () => {
    expect(refusals('steps: [{ do: stimulus, device: vu, name: insertCard, args: { slot: driver, card: ana } }]')).toBe(
      "s.yaml:5:83: steps[0].args.card: no card 'ana' in vu's options.cards (did you mean 'anna'?); it has: anna, wendy, acme, bolt, carla, other-root-driver, altered-driver",
    );
    expect(refusals('steps: [{ do: stimulus, device: vu, name: insertCard, args: { slot: drivr, card: anna } }]')).toBe(
      "s.yaml:5:69: steps[0].args.slot: 'drivr' is not allowed (did you mean 'driver'?); expected one of: driver, co-driver",
    );
  });

  it('refuses an explicit expectation name used twice', () => {
    expect(refusals('expect:', '  - { name: a, records: { device: vu, kind: event } }', '  - { name: a, records: { device: vu, kind: fault } }')).toBe(
      "s.yaml:7:13: expect[1].name: expectation name 'a' is already used (at expect[0].name): names are unique in a scenario",
    );
  });
});

describe('stimuli on a device that may be external (issue 13: a bench actuator or the operator applies them)', () => {
  const check = (requires: string, device = 'vu') => {
    const text = ['id: s', 'title: t', `requires: ${requires}`, 'start: 2026-03-02T08:00:00Z', `steps: [{ do: stimulus, device: ${device}, name: supply, args: { on: false } }]`, ''].join('\n');
    const entry = parseScenarioYaml(text, 's.yaml');
    return formatIssues(entry.locate(checkScenarioAgainstRig(entry.scenario, loopback)));
  };

  it('takes a stimulus on a device listed as emulated or as maybe external, and refuses one on a device listed as neither', () => {
    expect(check('{ emulated: [vu] }')).toBe('');
    expect(check('{ mayBeExternal: [vu] }')).toBe('');
    expect(check('{ mayBeExternal: [sensor] }')).toBe(
      "s.yaml:5:33: steps[0].device: a stimulus acts on 'vu': list it under requires.emulated (or requires.mayBeExternal, where a bench's actuator or operator does it)",
    );
  });
});
