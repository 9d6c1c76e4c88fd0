import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { TestMsca } from '../../../crypto/index.ts';
import { motionSensorKind } from '../../motion-sensor/index.ts';
import { vuKind } from '../index.ts';
import type { VuContext } from '../vu-machine.ts';
import { SecondLatch } from './latched-seconds.ts';
import { TEST_DRIVER_CARD, testMemoryLink, testWorkshopCard } from '../vu-test-rig.ts';
import { steppedRun } from '../../../harness/rig/stepped-run.ts';

/**
 * Issue 18, fifth part: the sensor link's reports (two a counter check), the pulse line's frames and the
 * internal GNSS receiver's reads (one every 20 s) latched with the seconds and applied in order with them give the VU the same data memory,
 * step for step, as the machine taking each as an event. The oracle is the same run on a clock without
 * `onIdle`, where nothing is latched (latched-seconds.ts): every second, report and read an event of its own.
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const msca = new TestMsca();
const plan: RigPlan = {
  name: 'latched-events',
  clock: 'virtual',
  seed: 7,
  devices: [
    { name: 'vu', kind: vuKind, mode: 'emulated', options: vuKind.options.parse({ cards: { wendy: testWorkshopCard(msca), anna: TEST_DRIVER_CARD }, gnss: { receiver: 'internal' } }) },
    { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
  ],
  links: [testMemoryLink('sensor.pulses', 'vu.pulses'), testMemoryLink('sensor.vu', 'vu.sensor')],
};

interface Run {
  contexts: VuContext[];
  /** Microsteps of the VU's machine (its own steps, not the events routed or latched around it) by the event that led to them. */
  steps: Record<string, number>;
}

/** The VU's context after every step: pairing, driving, over speeding, stops, a GNSS outage and a skewed clock, a receiver fault, a silent and a garbling sensor, a supply cut. */
async function drive(): Promise<Run> {
  const rig = await Rig.start(plan, { start: T0 });
  const vu = rig.actor('vu')!;
  const steps: Record<string, number> = {};
  vu.system.inspect((e: { type: string; event?: { type: string }; actorRef?: unknown }) => {
    if (e.actorRef !== vu) return;
    if (e.type === '@xstate.microstep') steps[e.event!.type] = (steps[e.event!.type] ?? 0) + 1;
  });
  const { states: contexts, step } = steppedRun(rig, () => (vu.getSnapshot() as { context: VuContext }).context, 250);
  try {
    await step(2_000, () => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      rig.host.stimulate('vu', 'pairSensor', {});
    });
    await step(60_000, () => rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' }));
    await step(1_500, () => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' }));
    await step(90_250, () => rig.world.vehicle.setSpeed(50));
    await step(95_700, () => rig.world.vehicle.setSpeed(120)); // above the authorised 90 km/h for 70 s: a 0x07
    await step(70_000, () => rig.world.vehicle.setSpeed(30));
    await step(300_000, () => rig.world.gnss.setAvailable(false)); // no fix: the reads say so
    await step(45_300, () => rig.world.vehicle.setSpeed(0));
    await step(200_000, () => rig.host.stimulate('vu', 'skewClock', { seconds: 90 }));
    await step(60_000, () => rig.world.gnss.setAvailable(true)); // back: the clock adjusted at a read (Annex IC 211)
    await step(60_000, () => rig.host.stimulate('vu', 'gnssReceiverFault', { on: true }));
    await step(60_000, () => rig.host.stimulate('vu', 'gnssReceiverFault', { on: false }));
    await step(120_000, () => rig.world.vehicle.setSpeed(45));
    // damaged rate frames (each drops the signal until the next good one) and a cut pulse line
    const pulses = rig.link({ link: 'sensor.pulses~vu.pulses' });
    await step(30_000, () => pulses.faults.set({ bitFlipRate: 0.05, dropRate: 0.02 }));
    for (const kmh of [60, 35, 70, 45]) await step(20_000, () => rig.world.vehicle.setSpeed(kmh));
    await step(30_000, () => pulses.faults.set({ bitFlipRate: 0, dropRate: 0 }));
    await step(20_000, () => pulses.faults.disconnect());
    await step(20_000, () => pulses.faults.reconnect());
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'silent' })); // unanswered checks
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'none' }));
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'garble' })); // unauthenticated answers
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'none' }));
    await step(20_010, () => rig.host.stimulate('vu', 'supply', { on: false }));
    await step(30_000, () => rig.host.stimulate('vu', 'supply', { on: true }));
    await step(3_700_000, () => rig.world.vehicle.setSpeed(0)); // more than an hour: a sample without any other event
    expect(rig.host.errors).toEqual([]);
  } finally {
    await rig.close();
  }
  return { contexts, steps };
}

describe('the sensor reports and receiver reads latched with the seconds (issue 18)', () => {
  const onIdle = VirtualClock.prototype.onIdle;
  afterEach(() => {
    VirtualClock.prototype.onIdle = onIdle;
  });

  it('leave the VU in the same state after every step as an event each, with no step of its own', async () => {
    const lazy = await drive();
    // the VU of before: no onIdle, each second, report and read an event as it comes
    (VirtualClock.prototype as { onIdle?: unknown }).onIdle = undefined;
    const eager = await drive();
    // positive controls: the machine took the reports and reads, and the run met what they judge
    const reports = ['sensor.authenticated', 'sensor.counter', 'sensor.noAnswer', 'sensor.authFailed'] as const;
    for (const type of [...reports, 'vu.gnssRead']) expect([type, eager.steps[type]]).toEqual([type, expect.any(Number)]);
    expect(eager.steps['sensor.counter']).toBeGreaterThan(400);
    expect(eager.steps['vu.gnssRead']).toBeGreaterThan(250);
    const last = eager.contexts.at(-1)!;
    const types = new Set(last.events.records.map((r) => r.type));
    for (const type of [0x07, 0x08, 0x09, 0x0b, 0x11, 0x36]) expect([type, types.has(type)]).toEqual([type, true]);
    expect(last.timeAdjustments.length).toBeGreaterThan(0);
    expect(lazy.contexts).toEqual(eager.contexts);
    // latched: not one step of the VU's machine for a report, a read or a pulse frame (nor for the sensor
    // line's bytes, routed: child-lines.ts)
    expect(eager.steps['port.rx']).toBeGreaterThan(50);
    for (const type of [...reports, 'vu.gnssRead', 'port.rx']) expect([type, lazy.steps[type]]).toEqual([type, undefined]);
    const total = (r: Run) => Object.values(r.steps).reduce((a, b) => a + b, 0);
    expect(total(lazy)).toBeLessThan(total(eager) / 5);
  }, 120_000);

  it('keeps the events in the order they came between the seconds, and counts only the seconds toward the hour', () => {
    const latch = new SecondLatch();
    latch.now = () => 1500;
    latch.ring(1000);
    latch.latch({ type: 'sensor.counter' });
    latch.ring(2000);
    expect(latch.size).toBe(2);
    const taken = latch.take();
    expect([taken, latch.size, latch.pending]).toEqual([[1000, { at: 1500, event: { type: 'sensor.counter' } }, 2000], 0, false]);
    latch.ring(3000);
    latch.putBack(taken);
    expect([latch.peek(), latch.size]).toEqual([[1000, { at: 1500, event: { type: 'sensor.counter' } }, 2000, 3000], 3]);
  });
});
