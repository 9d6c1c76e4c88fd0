import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { TestMsca } from '../../../crypto/index.ts';
import { VirtualClock } from '../../../harness/clock/index.ts';
import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { motionSensorKind } from '../../motion-sensor/index.ts';
import { vuKind } from '../index.ts';
import { decodePulseLine } from '../pulse-input.ts';
import { createVuMachine, type VuContext } from '../vu-machine.ts';
import { odometerKm } from '../motion/motion-state.ts';
import { TEST_DRIVER_CARD, testMemoryLink, testWorkshopCard } from '../vu-test-rig.ts';

/**
 * The VU kind and the motion sensor kind in a rig, joined by their pulse line and secured link: the VU's
 * motion sensor function end to end, through its stimuli and its records.
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const msca = new TestMsca();
const WORKSHOP = testWorkshopCard(msca);
const DRIVER = TEST_DRIVER_CARD;

const link = (a: string, b: string) => testMemoryLink(a, b);

function plan(seed: number, vuOptions: Record<string, unknown> = {}): RigPlan {
  return {
    name: 'vu-sensor',
    clock: 'virtual',
    seed,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuKind.options.parse({ cards: { wendy: WORKSHOP, anna: DRIVER }, ...vuOptions }) },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
    ],
    links: [link('sensor.pulses', 'vu.pulses'), link('sensor.vu', 'vu.sensor')],
  };
}

async function withRig<T>(p: RigPlan, body: (rig: Rig) => Promise<T>): Promise<T> {
  const rig = await Rig.start(p, { start: T0 });
  try {
    const out = await body(rig);
    expect(rig.host.errors).toEqual([]);
    return out;
  } finally {
    await rig.close();
  }
}

async function pair(rig: Rig): Promise<void> {
  rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
  rig.host.stimulate('vu', 'pairSensor', {});
  await rig.clock.advance(1_000);
}

const context = (rig: Rig) => (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;
const of = (records: DeviceRecord[], kind: string) => records.filter((r) => r.kind === kind);
const sensorFrames = (rig: Rig) => rig.trace.entries.flatMap((e) => (e.kind === 'frame' && e.link === 'sensor.vu~vu.sensor' ? [`${e.from} ${e.hex}`] : []));

describe("the VU's motion sensor function", () => {
  it('pairs in calibration mode over its sensor port and keeps the VuSensorPairedRecord and the session', async () => {
    await withRig(plan(1), async (rig) => {
      await pair(rig);
      const records = await rig.records('vu');
      expect(of(records, 'sensorPaired')).toEqual([
        {
          kind: 'sensorPaired',
          code: 1,
          at: T0,
          fields: { sensorSerialNumber: { serialNumber: 1, monthYear: '0126', type: 7, manufacturerCode: 0x10 }, sensorApprovalNumber: 'e1-MS-TEST-01', sensorPairingDate: T0 / 1000 },
        },
      ]);
      const { sensorSession } = context(rig);
      expect(sensorSession).toMatchObject({ ns: '0000000101260710', kmVersion: 1, eventCounts: [0, 0, 0, 0, 0] });
      expect(sensorSession!.ks).toBe((rig.actor('sensor')!.getSnapshot() as { context: { security: { ks: string } } }).context.security.ks);
    });
  });

  it('draws its session key from the seeded stream: the same seed gives the same transcript, another seed another', async () => {
    const transcript = (seed: number) =>
      withRig(plan(seed), async (rig) => {
        await pair(rig);
        return sensorFrames(rig);
      });
    const [a, b, c] = [await transcript(5), await transcript(5), await transcript(6)];
    expect(a).toHaveLength(12);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(c.slice(0, 2)).toEqual(a.slice(0, 2)); // the plaintext serial number exchange
  });

  it('refuses to pair or calibrate outside calibration mode, with a message to the card holder', async () => {
    await withRig(plan(1), async (rig) => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      rig.host.stimulate('vu', 'pairSensor', {});
      rig.host.stimulate('vu', 'calibrate', { k: 4000 });
      await rig.clock.advance(2_000);
      const records = await rig.records('vu');
      expect(of(records, 'calibrationError').map((r) => [r.code, r.at, r.fields!['function']])).toEqual([
        ['not-in-calibration-mode', T0, 'pairing'],
        ['not-in-calibration-mode', T0, 'calibration'],
      ]);
      expect(of(records, 'sensorPaired')).toEqual([]);
      expect(context(rig).calibration.k).toBe(8000);
      expect(sensorFrames(rig)).toEqual([]);
    });
  });

  it('measures with the calibrated k from the calibration on, the odometer reading on without a jump', async () => {
    await withRig(plan(1), async (rig) => {
      await pair(rig);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      rig.world.vehicle.setSpeed(60);
      await rig.clock.advance(1_800_000);
      rig.world.vehicle.setSpeed(0);
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      // a wrong k on purpose: the sensor still gives 8000 pulses a km, so the VU now reads double
      rig.host.stimulate('vu', 'calibrate', { purpose: 'periodic-inspection', k: 4000, authorisedSpeedKmh: 130 });
      rig.world.vehicle.setSpeed(60);
      await rig.clock.advance(900_000);
      expect(context(rig).motion.speedKmh).toBe(120);
      rig.world.vehicle.setSpeed(0);
      await rig.clock.advance(2_000);
      const vu = context(rig);
      expect(vu.calibration).toMatchObject({ k: 4000, authorisedSpeedKmh: 130 });
      const [record] = vu.calibrations;
      expect(record).toMatchObject({ calibrationPurpose: 4, kConstantOfRecordingEquipment: 4000, oldOdometerValue: 30, newOdometerValue: 30 });
      // 30 km under k = 8000, then 15 km counted double
      expect(odometerKm(vu.motion, vu.calibration.k)).toBe(60);
      // the counter check does not depend on k: it still agrees
      expect(of(await rig.records('vu'), 'event')).toEqual([]);
    });
  });

  it('resumes the counter check with the session kept after a power cut, without pairing again', async () => {
    await withRig(plan(1), async (rig) => {
      await pair(rig);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      rig.host.stimulate('vu', 'supply', { on: false });
      await rig.clock.advance(60_000);
      rig.host.stimulate('vu', 'supply', { on: true });
      rig.world.vehicle.setSpeed(80);
      await rig.clock.advance(120_000);
      const frames = sensorFrames(rig).slice(12); // after the pairing
      expect(frames.filter((f) => f.startsWith('vu.sensor A5 70'))).toHaveLength(11);
      expect(frames.filter((f) => f.startsWith('sensor.vu 5A 80'))).toHaveLength(11);
      expect(frames.some((f) => f.startsWith('vu.sensor A5 40'))).toBe(false);
      const watch = context(rig).sensorWatch;
      expect(watch.last).not.toBeNull();
      expect(of(await rig.records('vu'), 'event').map((r) => r.code)).toEqual([0x08]);
    });
  });

  it("records the sensor's case opening when it next reads the sensor's events, once", async () => {
    await withRig(plan(1), async (rig) => {
      await pair(rig);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      rig.host.stimulate('sensor', 'caseOpening', {});
      await rig.clock.advance(30_000);
      const events = of(await rig.records('vu'), 'event');
      // read with the events file after the first counter check, 10 s after the pairing (TimeReal: whole seconds)
      expect(events.map((r) => [r.code, r.at! - T0])).toEqual([[0x24, 10_000]]);
      expect(context(rig).sensorSession!.eventCounts).toEqual([0, 0, 0, 1, 0]);
    });
  });

  it("Annex IC 85: the sensor's events read in calibration mode are not recorded, and not kept for later", async () => {
    await withRig(plan(1), async (rig) => {
      await pair(rig); // the workshop card stays in: calibration mode
      rig.host.stimulate('sensor', 'caseOpening', {});
      await rig.clock.advance(20_000);
      expect(context(rig).sensorSession!.eventCounts).toEqual([0, 0, 0, 1, 0]);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(20_000);
      expect(of(await rig.records('vu'), 'event')).toEqual([]);
      rig.host.stimulate('sensor', 'caseOpening', {});
      await rig.clock.advance(10_000);
      // the second case opening, read with the events file 50 s after the pairing, outside calibration mode
      expect(of(await rig.records('vu'), 'event').map((r) => [r.code, r.at! - T0])).toEqual([[0x24, 50_000]]);
    });
  });

  describe('Annex IC 83, the speed-jump trigger of 0x09 (speedJumpCheck)', () => {
    /** Pairs, leaves `card` in the driver slot, drives off from a standstill at `kmh` for `seconds`, and gives the events. */
    const driveOff = (vuOptions: Record<string, unknown>, card: string, kmh: number, seconds: number) =>
      withRig(plan(1, vuOptions), async (rig) => {
        await pair(rig);
        if (card !== 'wendy') {
          rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
          rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
        }
        await rig.clock.advance(9_000); // to T0 + 10 s, on a whole second
        rig.world.vehicle.setSpeed(kmh);
        await rig.clock.advance(seconds * 1000);
        rig.world.vehicle.setSpeed(0);
        await rig.clock.advance(5_000);
        return of(await rig.records('vu'), 'event').map((r) => [r.code, (r.at! - T0) / 1000, (r.end! - T0) / 1000]);
      });
    const check = { motionSensor: { speedJumpCheck: true } };

    it('0 to 80 km/h, held: one 0x09 from the last second at 0 to the third second above 40 after the jump', async () => {
      // the speeds of the seconds ending at 11 s (72 km/h: nine pulse frames of ten), 12, 13 and 14 s (80)
      expect(await driveOff(check, 'anna', 80, 4)).toEqual([[0x09, 10, 14]]);
    });

    it('held one second less: none', async () => {
      expect(await driveOff(check, 'anna', 80, 3)).toEqual([]);
    });

    it('none in calibration mode, and none on a VU that does not check', async () => {
      expect(await driveOff(check, 'wendy', 80, 4)).toEqual([]);
      expect(await driveOff({}, 'anna', 80, 4)).toEqual([]);
    });
  });

  it('keeps pairings, calibrations and the session in its data memory file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vu-sensor-'));
    const dataMemoryFile = join(dir, 'vu.dm');
    try {
      const before = await withRig(plan(1, { dataMemoryFile }), async (rig) => {
        await pair(rig);
        rig.host.stimulate('vu', 'calibrate', { purpose: 'installation', registrationNumber: '1-ABC-234' });
        await rig.clock.advance(1_000);
        return context(rig);
      });
      const clock = new VirtualClock({ start: T0 + 3_600_000 });
      const again = createActor(createVuMachine(clock, vuKind.options.parse({ dataMemoryFile }), decodePulseLine), { clock }).start();
      const after = again.getSnapshot().context;
      again.stop();
      expect(after.sensorSession).toEqual(before.sensorSession);
      expect(after.sensorPairings).toEqual(before.sensorPairings);
      expect(after.calibrations).toEqual(before.calibrations);
      expect(after.calibration.registrationNumber).toBe('1-ABC-234');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
