import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { recordProblems, type RecordCodeSpec } from '../../harness/devices/record-kinds.ts';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { loadRigFile } from '../../harness/rig/rig-loader.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import { loadScenarioFile } from '../../scenarios/engine/loader.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';
import { deviceKinds } from '../index.ts';
import { EVENT_FAULT_TYPES } from './data-memory/event-fault-types.ts';
import { vuKind } from './index.ts';
import { vuRecordKinds } from './record-kinds.ts';
import { placeRefusalRecords } from './places/index.ts';
import { accumulatedDrivingRecords, timeAdjustmentRecords } from './vu-records.ts';

/**
 * Runs shipped scenarios on the default rig with every VU's record source wrapped, so each record the
 * source returns (through the App. 7 download, and in-process for what no download carries) is kept.
 */
async function recordsOfShippedScenarios(files: readonly string[]): Promise<DeviceRecord[]> {
  const rig = await loadRigFile('rigs/loopback.yaml', new DeviceRegistry(deviceKinds));
  const plan = planFromRig(rig, rig.registry);
  const kept: DeviceRecord[] = [];
  const keeping = {
    ...vuKind,
    records: (device: string, access: Parameters<NonNullable<typeof vuKind.records>>[1]) => {
      const source = vuKind.records!(device, access);
      return { read: async () => {
        const records = await source.read();
        kept.push(...records);
        return records;
      } };
    },
  };
  const wrapped = { ...plan, devices: plan.devices.map((d) => (d.kind === vuKind ? { ...d, kind: keeping } : d)) };
  for (const file of files) {
    for (const { scenario } of await loadScenarioFile(file)) {
      const { result } = await runScenario(scenario, wrapped, { keepTrace: false });
      expect(result.outcome, `${scenario.id}: ${result.reason}`).toBe('pass');
    }
  }
  return kept;
}

describe("the VU's record kinds", () => {
  it('fit every record its sources return in shipped scenarios (a declaration cannot drift from reality)', async () => {
    const records = await recordsOfShippedScenarios([
      'src/scenarios/vu/over-speeding.scenario.yaml',
      'src/scenarios/vu/daily-work-period-places.scenario.yaml',
      'src/scenarios/motion-sensor/sensor-pairing-wrong-generation.scenario.yaml',
      'src/scenarios/gnss/egf-tamper.scenario.yaml',
      'src/scenarios/motion-sensor/sensor-disconnected.scenario.yaml',
      'src/scenarios/motion-sensor/sensor-pairing.scenario.yaml',
      'src/scenarios/vu/company-locks.scenario.yaml',
      'src/scenarios/vu/over-speeding-control.scenario.yaml',
    ]);
    const misfits = records.flatMap((r) => recordProblems(vuRecordKinds, r).map((p) => `${r.kind} ${String(r.code)}: ${p}`));
    expect(misfits).toEqual([]);
    expect([...new Set(records.map((r) => r.kind))].sort()).toEqual([
      'activity', 'calibration', 'calibrationError', 'cardInsertion', 'companyLock', 'controlActivity', 'detailedSpeed', 'event', 'fault', 'gnssCoupling', 'overSpeedingControl', 'overview', 'place',
      'sensorPaired', 'vuIdentification',
    ]);
    // each of those kinds refuses a field it does not declare, and an enumerated code it does not have
    for (const kind of new Set(records.map((r) => r.kind))) {
      const real = records.find((r) => r.kind === kind)!;
      expect(recordProblems(vuRecordKinds, { ...real, fields: { ...real.fields, bogus: 1 } }), kind).toEqual(['fields: Unrecognized key: "bogus"']);
      if (vuRecordKinds[kind]!.code.type === 'enum') expect(recordProblems(vuRecordKinds, { ...real, code: 'bogus' }), kind).toEqual(['code "bogus" is not one of the kind\'s codes']);
    }
  }, 300_000);

  it('fit the kinds no cheap shipped scenario produces: time adjustments, accumulated driving, its GNSS record, refused places', () => {
    const card = { cardType: 'driver' as const, issuingMemberState: 6, cardNumber: 'B000000012345601', generation: 2 as const };
    const made: DeviceRecord[] = [
      ...timeAdjustmentRecords([{ oldTime: 1772438400, newTime: 1772438490, kind: 'automatic' }, { oldTime: 1772438400, newTime: 1772438460, kind: 'workshop', workshopCard: { ...card, cardType: 'workshop' } }]),
      ...accumulatedDrivingRecords([{ minutes: 180, at: Date.UTC(2026, 2, 2, 11, 0) }]),
      ...placeRefusalRecords([{ at: Date.UTC(2026, 2, 2, 8), slot: 'driver', reason: 'no-card', detail: 'no card in the driver slot' }]),
      // as download-records.ts makes it from a decoded VuGNSSADRecord
      { kind: 'gnssAccumulatedDriving', at: Date.UTC(2026, 2, 2, 11), fields: { timeStamp: Date.UTC(2026, 2, 2, 11), driverCard: card, codriverCard: null, place: { timeStamp: Date.UTC(2026, 2, 2, 10, 59), gnssAccuracy: 9, latitude: 53012, longitude: 4211 }, odometerKm: 241 } },
    ];
    expect(made.flatMap((r) => recordProblems(vuRecordKinds, r))).toEqual([]);
    expect(recordProblems(vuRecordKinds, { ...made[0]!, code: 'gnss' })).toEqual(['code "gnss" is not one of the kind\'s codes']);
    expect(recordProblems(vuRecordKinds, { ...made[2]!, code: 181 })).toEqual(['code 181: Invalid number: must be a multiple of 180']);
    expect(recordProblems(vuRecordKinds, { ...made[4]!, code: 1 })).toEqual(['code 1: the kind has no code']);
  });

  it('declare the event and fault codes of EVENT_FAULT_TYPES, and each code its own data fields', () => {
    const codes = (kind: string) => (vuRecordKinds[kind]!.code as Extract<RecordCodeSpec, { type: 'enum' }>).values.map((v) => v.value);
    expect(codes('event')).toEqual(EVENT_FAULT_TYPES.filter((t) => t.category === 'event').map((t) => t.code));
    expect(codes('fault')).toEqual(EVENT_FAULT_TYPES.filter((t) => t.category === 'fault').map((t) => t.code));
    expect(Object.keys(vuRecordKinds['event']!.fields.shape)).toEqual([
      'name', 'purposes', 'similarEvents', 'cardsAtBegin', 'cardsAtEnd', 'ongoing',
      'lastSessionInsertion', 'lastVehicleRegistrationNation', 'lastVehicleRegistrationNumber', 'lastVuGeneration', 'maxSpeed', 'averageSpeed', 'gnssTime',
    ]);
    expect(Object.keys(vuRecordKinds['event']!.fieldsOf!(0x0b)!.shape).slice(6)).toEqual(['gnssTime']);
    const common = { name: 'card insertion while driving', purposes: [3], similarEvents: 1, cardsAtBegin: { driver: null, codriver: null }, cardsAtEnd: null, ongoing: false };
    expect(recordProblems(vuRecordKinds, { kind: 'event', code: 0x05, at: 0, end: 0, fields: common })).toEqual([]);
    expect(recordProblems(vuRecordKinds, { kind: 'event', code: 0x05, at: 0, end: 0, fields: { ...common, maxSpeed: 100 } })).toEqual(['fields: Unrecognized key: "maxSpeed"']);
    expect(recordProblems(vuRecordKinds, { kind: 'event', code: 0x07, at: 0, end: 0, fields: { ...common, maxSpeed: 100 } })).toEqual([]);
    expect(recordProblems(vuRecordKinds, { kind: 'fault', code: 0x07, at: 0, fields: common })).toEqual(["code 7 is not one of the kind's codes"]);
  });
});
