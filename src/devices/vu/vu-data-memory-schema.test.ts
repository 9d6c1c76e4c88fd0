import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAMING_8N1, NO_FAULTS } from '../../harness/links/index.ts';
import { createRng } from '../../crypto/random.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { workshopCardSchema } from '../cards/card-schema.ts';
import { acme, anna, carla, wendy } from '../cards/test-cards.ts';
import { gnssKind } from '../gnss/index.ts';
import { ideKind } from '../ide/index.ts';
import { motionSensorKind } from '../motion-sensor/index.ts';
import { yearOfDataMemory } from './download/year-memory.ts';
import { vuKind } from './index.ts';
import { DATA_MEMORY_PART_SCHEMAS, partShapeProblem } from './vu-data-memory-schema.ts';
import { loadDataMemorySync, saveDataMemorySync } from './data-memory/persistence.ts';
import { afterIntegrityCheck, danglingEventIds, dataMemoryOf, integrityCheckOf, type VuDataMemory } from './vu-data-memory.ts';
import type { VuContext } from './vu-machine.ts';
import { vuOptionsSchema } from './vu-options.ts';
import { vuStorageKey } from './vu-storage-key.ts';
import { downloadOnRigClock, vuWithIdePlan } from './vu-test-rig.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
/** The default rigs' workshop card, with its KM-WC of version 1 from the test MSCA (rigs/loopback.yaml). */
const wendyWithKmWc = workshopCardSchema.parse({ ...wendy, kmwcKeys: [{ version: 1, key: 'ef88cdd86d25835456d01c1b6c0300f5' }] });
const link = (id: string, ends: [string, string], parity: 'none' | 'even' = 'none', baud = 9600) => ({
  id,
  ends,
  transport: 'memory' as const,
  baud,
  framing: parity === 'even' ? { dataBits: 8 as const, parity: 'even' as const, stopBits: 1 as const } : FRAMING_8N1,
  pacing: true,
  faults: NO_FAULTS,
  deliveryQuantumMs: 10,
});

/** A VU with its sensor on both lines and the IDE on its download line, an internal GNSS receiver. */
function plan(): RigPlan {
  return {
    name: 'vu-memory-shapes',
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuOptionsSchema.parse({ cards: { anna, wendy: wendyWithKmWc, acme, carla }, gnss: { receiver: 'internal' } }) },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
      { name: 'ide', kind: ideKind, mode: 'emulated', options: {} },
    ],
    links: [link('pulses', ['sensor.pulses', 'vu.pulses']), link('sensor', ['sensor.vu', 'vu.sensor']), link('download', ['ide.vu', 'vu.download'], 'even')],
  };
}

/** A VU coupled with an external GNSS facility (App. 12) by the workshop, then driven: couplings, the EGF certificate, positions. */
async function coupledMemory(): Promise<VuDataMemory> {
  const plan: RigPlan = {
    name: 'vu-memory-shapes-egf',
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuOptionsSchema.parse({ cards: { anna, wendy: wendyWithKmWc }, gnss: { receiver: 'external' } }) },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
      { name: 'egf', kind: gnssKind, mode: 'emulated', options: gnssKind.options.parse({ testPki: {} }) },
    ],
    links: [link('pulses', ['sensor.pulses', 'vu.pulses']), link('gnss', ['egf.vu', 'vu.gnss'], 'none', 115200)],
  };
  const rig = await Rig.start(plan, { start: T0 });
  try {
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
    rig.host.stimulate('vu', 'coupleGnss', {});
    await rig.clock.advance(65_000);
    rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
    rig.worldAction('speed', { kmh: 60 });
    await rig.clock.advance(60_000);
    expect(rig.host.errors).toEqual([]);
    return dataMemoryOf((rig.actor('vu')!.getSnapshot() as { context: VuContext }).context);
  } finally {
    await rig.close();
  }
}

/** What a VU's working day leaves in its memory: a calibration and a pairing, a drive with an over speeding, places, a power cut, a company lock and a download. */
async function workedMemory(): Promise<VuDataMemory> {
  const rig = await Rig.start(plan(), { start: T0 });
  try {
    const vu = () => (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;
    rig.host.stimulate('vu', 'pairSensor', {}); // not in calibration mode: a calibration error
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
    rig.host.stimulate('vu', 'calibrate', { purpose: 'periodic-inspection', authorisedSpeedKmh: 90 });
    rig.host.stimulate('vu', 'pairSensor', {});
    await rig.clock.advance(5_000);
    rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
    rig.host.stimulate('vu', 'enterPlace', { slot: 'driver', type: 'begin', country: 'B' }); // no card: refused
    rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
    rig.host.stimulate('vu', 'enterPlace', { slot: 'driver', type: 'begin', country: 'B' });
    rig.worldAction('speed', { kmh: 100 });
    await rig.clock.advance(90_000);
    rig.worldAction('stop', {});
    await rig.clock.advance(60_000);
    rig.host.stimulate('vu', 'supply', { on: false });
    await rig.clock.advance(1_000);
    rig.host.stimulate('vu', 'supply', { on: true });
    rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
    rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: 'acme' });
    rig.host.stimulate('vu', 'companyLock', { action: 'in' });
    await downloadOnRigClock(rig, [{ trtp: 0x21 }, { trtp: 0x23 }], { rigRead: false });
    rig.host.stimulate('vu', 'companyLock', { action: 'out' });
    rig.host.stimulate('vu', 'withdrawCard', { slot: 'co-driver' });
    rig.host.stimulate('vu', 'insertCard', { slot: 'co-driver', card: 'carla' });
    await downloadOnRigClock(rig, [{ trtp: 0x21 }, { trtp: 0x23 }], { rigRead: false });
    expect(rig.host.errors).toEqual([]);
    return dataMemoryOf(vu());
  } finally {
    await rig.close();
  }
}

/** The worked memory, built once for the tests that read it. */
let workedOnce: Promise<VuDataMemory> | undefined;
const worked = () => (workedOnce ??= workedMemory());

describe('the shapes of the data memory parts (vu-data-memory-schema.ts)', () => {
  it('fit every part a working VU writes, and a year of use', async () => {
    const day = await worked();
    // the run reached the parts whose shapes matter most
    expect(day.calibrations.length).toBe(1);
    expect(day.sensorPairings.length).toBe(1);
    expect(day.sensorSession).not.toBeNull();
    expect(day.calibrationErrors.map((e) => e.reason)).toEqual(['not-in-calibration-mode']);
    expect(day.places.records.length).toBe(1);
    expect(day.places.refusals.length).toBe(1);
    expect(day.companyLocks.length).toBe(1);
    expect(day.controlActivities.length).toBe(1);
    expect(day.overSpeedingControl.lastControl).toBeGreaterThan(0);
    expect(day.lastDownload).not.toBeNull();
    expect(day.detailedSpeed.blocks.length + (day.detailedSpeed.current ? 1 : 0)).toBeGreaterThan(0);
    expect(day.events.records.map((r) => r.type)).toEqual(expect.arrayContaining([0x07, 0x08]));
    expect(day.slots.iw.length).toBe(2);
    expect(day.slots['co-driver']).not.toBeNull();
    const coupled = await coupledMemory();
    expect(coupled.gnssCouplings.length).toBe(1);
    expect(coupled.egfCertificate).not.toBeNull();
    expect(coupled.gnss.lastPosition).not.toBeNull();
    const year = yearOfDataMemory(day, { end: Date.UTC(2027, 2, 2), days: 365, card: anna, rng: createRng(1, 'year') });
    expect(year.gnssAdRecords.length).toBeGreaterThan(0);
    for (const memory of [day, coupled, year]) {
      for (const part of Object.keys(DATA_MEMORY_PART_SCHEMAS) as (keyof VuDataMemory)[]) expect(partShapeProblem(part, memory[part]), part).toBeUndefined();
      // through JSON, as the file holds it
      expect(integrityCheckOf({ memory: JSON.parse(JSON.stringify(memory)), damaged: [] }).damaged).toEqual([]);
    }
  });

  it('name what does not fit, with its path', () => {
    const speeds = Array<number>(60).fill(50);
    expect(partShapeProblem('detailedSpeed', { blocks: [{ begin: 1_772_431_200, speeds: [...speeds.slice(1), 440] }] })).toBe(
      'wrong content (detailedSpeed.blocks.0.speeds.59: Too big: expected number to be <=255)',
    );
    expect(partShapeProblem('detailedSpeed', { blocks: [{ begin: 1_772_431_200, speeds: speeds.slice(1) }] })).toBe('wrong content (detailedSpeed.blocks.0.speeds: Too small: expected array to have exactly 60 items)');
    const event = { id: 1, type: 0x99, begin: 1_772_431_200, end: 1_772_431_200, cardsAtBegin: { driver: null, codriver: null }, cardsAtEnd: { driver: null, codriver: null }, data: {} };
    expect(partShapeProblem('events', { nextId: 2, lastCalibration: null, records: [event], dayCounts: [] })).toBe('wrong content (events: records[0] (id 1): EventFaultType 0x99 is not one the VU records)');
    const overSpeeding = { ...event, type: 0x07, data: { maxSpeed: 440, averageSpeed: 100 } };
    expect(partShapeProblem('events', { nextId: 2, lastCalibration: null, records: [overSpeeding], dayCounts: [] })).toBe(
      "wrong content (events: records[0] (id 1): EventFaultType 0x07 (over speeding) data at its end: 'maxSpeed' = 440 is not a valid speed)",
    );
    expect(partShapeProblem('events', { nextId: 2, lastCalibration: null, records: [{ ...event, type: 0x08, id: 2 }], dayCounts: [] })).toBe('wrong content (events: records[0] (id 2): ids must rise and stay below nextId 2)');
    expect(partShapeProblem('clock', { anchorRig: 'now', anchorVu: 0, driftPpm: 0 })).toBe('wrong content (clock.anchorRig: Invalid input: expected number, received string)');
  });
});

describe('a memory whose parts verify but do not fit: reset as damaged, 0x15, the rest kept', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('starts from it and answers a full download, where it died at the download before', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-shapes-'));
    const file = join(dir, 'vu.dm');
    const options = { cards: { anna }, dataMemoryFile: file };
    const first = await Rig.start(vuWithIdePlan('vu-shapes', options, 10), { start: T0 });
    first.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
    first.worldAction('speed', { kmh: 100 });
    await first.clock.advance(70_000);
    first.worldAction('stop', {});
    await first.clock.advance(60_000);
    await first.close();

    // rewritten under the VU's own key, so every MAC verifies: a writer's bug, not damage
    const key = vuStorageKey(vuOptionsSchema.parse(options));
    const memory = loadDataMemorySync(file, key).memory as unknown as Record<string, unknown> & VuDataMemory;
    memory.detailedSpeed.blocks[0]!.speeds.pop(); // 59 speeds: the TREP 24 encoder refuses the block
    memory['downloadSession'] = { open: true }; // no part of a data memory: it would land in the context
    memory.motionConflictEvent = 99; // an on-going event the event memory does not hold
    saveDataMemorySync(file, memory, key);
    expect(loadDataMemorySync(file, key).damaged).toEqual([]);

    const restart = T0 + 3_600_000;
    const again = await Rig.start(vuWithIdePlan('vu-shapes', options, 10), { start: restart });
    try {
      await again.clock.advance(1000);
      const context = (again.actor('vu')!.getSnapshot() as { context: VuContext }).context;
      expect(context.detailedSpeed.blocks).toEqual([]);
      expect(context.motionConflictEvent).toBeNull();
      expect('downloadSession' in context && context.downloadSession !== null).toBe(false);
      const records = await again.records('vu');
      const events = records.filter((r) => r.kind === 'event').map((r) => [r.code, (r.at! - T0) / 1000]);
      expect(events).toEqual([
        [0x07, 1],
        [0x15, 3600],
      ]);
      expect(records.filter((r) => r.kind === 'cardInsertion').map((r) => r.code)).toEqual(['B000000012345601']);
      expect(again.host.errors).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('resets a part of the wrong shape and drops a name that is no part', async () => {
    const memory = JSON.parse(JSON.stringify(await worked())) as Record<string, unknown>;
    (memory['detailedSpeed'] as { blocks: { speeds: number[] }[] }).blocks[0]!.speeds.pop();
    memory['downloadSession'] = { open: true };
    const check = integrityCheckOf({ memory: memory as never, damaged: [] });
    expect(check.damaged).toEqual([
      { part: 'detailedSpeed', problem: 'wrong content (detailedSpeed.blocks.0.speeds: Too small: expected array to have exactly 60 items)' },
      { part: 'downloadSession', problem: 'not a part of a VU data memory' },
    ]);
    expect(Object.keys(check.memory).sort()).toEqual(Object.keys(DATA_MEMORY_PART_SCHEMAS).filter((p) => p !== 'detailedSpeed').sort());
  });

  it('lets go of an on-going event id the event memory does not hold open as that type, as damage (0x15)', async () => {
    const memory = await worked();
    const open07 = memory.events.records.find((r) => r.type === 0x07)!;
    const context = { ...memory, overSpeedingEvent: open07.id, slots: { ...memory.slots, conflictEvent: 12_345 } } as unknown as VuContext;
    expect(danglingEventIds(context).map((h) => [h.name, h.problem])).toEqual([
      // 0x07 ended long ago, so no holder may call it on-going
      ['overSpeedingEvent', `holds event ${open07.id} as an on-going 0x07, which the event memory does not`],
      ['slots.conflictEvent', 'holds event 12345 as an on-going 0x02, which the event memory does not'],
    ]);
    const after = afterIntegrityCheck(context, { memory, damaged: [] }, memory, T0 + 600_000);
    expect(after.overSpeedingEvent).toBeNull();
    expect(after.slots.conflictEvent).toBeNull();
    expect(after.events.records.filter((r) => r.type === 0x15).map((r) => r.begin)).toEqual([(T0 + 600_000) / 1000]);
    // a consistent memory has none, and records no 0x15
    expect(danglingEventIds(memory as unknown as VuContext)).toEqual([]);
    expect(afterIntegrityCheck(memory as unknown as VuContext, { memory, damaged: [] }, memory, T0 + 600_000).events).toBe(memory.events);
  });
});
